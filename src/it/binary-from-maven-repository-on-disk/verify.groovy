// The checks every IT shares: expected.txt; for a failure, a fix hint, no stack trace, nothing left behind.
evaluate(new File(itShared, 'verify.groovy'))
