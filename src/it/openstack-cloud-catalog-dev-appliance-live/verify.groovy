// The shared checks, then: the servers went to Nova with the entry's live user-data, which cloud-init accepts.
evaluate(new File(itShared, 'verify.groovy'))
evaluate(new File(itShared, 'live-user-data.groovy')).call(basedir, 'itc3dev', ['git-1', 'ci-1'],
        ['package_update: true', '"gitolite3"', '"cgit"', '"buildbot"', '"redmine"', '"ansible-core"', '"maven"'])
return true
