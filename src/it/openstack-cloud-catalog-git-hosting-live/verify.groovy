// The shared checks, then: the servers went to Nova with the entry's live user-data, which cloud-init accepts.
evaluate(new File(itShared, 'verify.groovy'))
evaluate(new File(itShared, 'live-user-data.groovy')).call(basedir, 'itc3git', ['git-1'],
        ['/srv/itsvc/git-hosting/git-1/bin/git-daemon.sh'])
return true
