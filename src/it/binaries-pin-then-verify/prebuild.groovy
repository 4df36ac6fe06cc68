// svc/ = the generated service, without its itsvc.lock.
evaluate(new File(itShared, 'prepare.groovy'))
assert new File(basedir, 'svc/itsvc.lock').delete() : 'the generated service has no itsvc.lock'
return true
