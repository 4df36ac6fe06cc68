// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// Nothing was applied: no instance created, no endpoint printed, no instance folder.
List<String> log = new File(basedir, 'build.log').readLines('UTF-8')
List<String> applied = log.findAll { it =~ /Creating web-1|is provisioned|http:\/\/127\.0\.0\.1:/ }
assert applied.isEmpty() : "the dry run applied its plan:\n${applied.join('\n')}"
File instances = new File(basedir, 'svc/.itsvc')
assert !instances.exists() || instances.list().length == 0 : "the dry run made ${instances.list()}"
return true
