// The shared checks, then: run 2 made exactly three servers and run 3 made none (split build.log at each run).
evaluate(new File(itShared, 'verify.groovy'))
List<String> runs = new File(basedir, 'build.log').getText('UTF-8').split(/(?=\[INFO\] Scanning for projects\.\.\.)/)
        .findAll { it.contains('Scanning for projects') }
assert runs.size() == 5: "expected 5 Maven runs in build.log, found ${runs.size()}"
assert (runs[1] =~ /is ACTIVE \(server/).count == 3: 'run 2 should bring exactly three servers to ACTIVE'
assert (runs[1] =~ /\d+ API requests \(\d+ reads, 8 creates/).find():
        'run 2 should make 8 create calls: a key pair, a security group and its rule, a server group, 3 ports in one' +
        ' bulk request, 3 servers'
assert !(runs[2] =~ /Creating|Replacing|Removing/).find(): 'run 3 should change nothing'
