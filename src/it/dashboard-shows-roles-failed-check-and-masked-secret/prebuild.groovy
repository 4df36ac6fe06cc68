// svc/ = the generated service, with overlay/ laid over it (two roles, a check that fails, a secret site value).
evaluate(new File(itShared, 'prepare.groovy'))
