// The checks every IT shares: expected.txt; for a failure, a fix hint, no stack trace.
evaluate(new File(itShared, 'verify.groovy'))

assert !new File(basedir, 'broker').exists() : 'the rejected project was left behind'
return true
