// The shared checks, then: the servers went to Nova with the entry's live user-data, which cloud-init accepts.
evaluate(new File(itShared, 'verify.groovy'))
evaluate(new File(itShared, 'live-user-data.groovy')).call(basedir, 'itc3mb', ['broker-1'],
        ['/srv/itsvc/message-broker/broker-1/bin/broker.sh'])
return true
