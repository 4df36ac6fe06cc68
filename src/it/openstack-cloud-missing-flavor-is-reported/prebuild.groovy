// svc/ = the generated service; its role web gets the cloud's image cirros and a flavor the cloud lacks, m1.huge.
evaluate(new File(itShared, 'prepare.groovy'))
File service = new File(basedir, 'svc/src/main/itsvc/service.yaml')
String changed = service.getText('UTF-8').replaceFirst(/(?m)^    image: debian-12$/, '    image: cirros')
        .replaceFirst(/(?m)^    flavor: m1.small$/, '    flavor: m1.huge')
assert changed.contains('flavor: m1.huge')
service.write(changed, 'UTF-8')
return true
