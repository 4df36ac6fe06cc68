// svc/ = the generated service; its role web keeps the archetype's image, debian-12, which the loopback cloud lacks
// (it has cirros only), with the cloud's flavor m1.tiny.
evaluate(new File(itShared, 'prepare.groovy'))
File service = new File(basedir, 'svc/src/main/itsvc/service.yaml')
service.write(service.getText('UTF-8').replaceFirst(/(?m)^    flavor: m1.small$/, '    flavor: m1.tiny'), 'UTF-8')
assert service.getText('UTF-8').contains('image: debian-12')
return true
