evaluate(new File(itShared, 'verify.groovy'))

// pin wrote exactly the lock file the archetype ships: deterministic, and the archetype's pin is the real file's.
File written = new File(basedir, 'svc/itsvc.lock')
File shipped = new File(archetypeSources, 'itsvc.lock')
assert written.isFile() : 'itsvc:pin wrote no itsvc.lock'
assert written.bytes == shipped.bytes : "itsvc.lock differs from the archetype's:\n${written.text}"
// The build log tells the three runs apart: the first failed, the last succeeded.
List<String> results = new File(basedir, 'build.log').readLines().findAll { it =~ /BUILD (SUCCESS|FAILURE)/ }
assert results.size() == 3 && results[0].contains('FAILURE') && results[2].contains('SUCCESS') : results
return true
