// svc/ = the generated service with overlay/ laid over it, and role web made three servers of the loopback cloud's
// image and flavor (the archetype's debian-12 and m1.small: only cirros exists there, and m1.tiny is enough), without
// its check: the fake compute driver runs nothing, and provision from a terminal waits for every check to pass.
evaluate(new File(itShared, 'prepare.groovy'))
File service = new File(basedir, 'svc/src/main/itsvc/service.yaml')
String text = service.getText('UTF-8')
String changed = text.replaceFirst(/(?m)^    count: 1$/, '    count: 3').replaceFirst(/(?m)^    image: debian-12$/,
        '    image: cirros').replaceFirst(/(?m)^    flavor: m1.small$/, '    flavor: m1.tiny')
        .replaceFirst(/(?m)^    checks:\n(?:      - .*\n)+/, '')
assert changed.contains('count: 3') && changed.contains('image: cirros') && changed.contains('flavor: m1.tiny')
        && !changed.contains('checks:'):
        "the generated service.yaml changed shape: ${service}"
service.write(changed, 'UTF-8')
return true
