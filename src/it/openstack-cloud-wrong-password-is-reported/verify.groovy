// The shared checks, then: the password is nowhere in the log.
evaluate(new File(itShared, 'verify.groovy'))
assert !new File(basedir, 'build.log').getText('UTF-8').contains('not-the-password'): 'the password reached the log'
