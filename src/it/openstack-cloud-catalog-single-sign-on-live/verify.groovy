// The shared checks, then: the server went to Nova with the entry's live user-data, which cloud-init accepts.
evaluate(new File(itShared, 'verify.groovy'))
evaluate(new File(itShared, 'live-user-data.groovy')).call(basedir, 'itc3sso', ['sso-1'],
        ['package_update: true', '"openjdk-21-jre-headless"', '/srv/itsvc/single-sign-on/sso-1/bin/keycloak.sh'])
return true
