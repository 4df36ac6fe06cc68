// svc/ = the generated service, with overlay/ laid over it (a check the page cannot pass).
evaluate(new File(itShared, 'prepare.groovy'))
