evaluate(new File(itShared, 'verify.groovy'))
assert !new File(basedir, 'build.log').getText('UTF-8').contains('Creating'): 'provision went on after the error'
