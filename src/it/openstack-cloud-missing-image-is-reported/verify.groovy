evaluate(new File(itShared, 'verify.groovy'))
// Nothing was made: no API request that creates.
assert !new File(basedir, 'build.log').getText('UTF-8').contains('Creating'): 'provision went on after the error'
