// The checks every IT shares: expected.txt, and nothing left running, which after destroy also means that no second
// Tomcat was started beside the one the killed run left (an orphan would still run now).
evaluate(new File(itShared, 'verify.groovy'))

Properties killed = new Properties()
new File(basedir, 'killed.properties').withInputStream { killed.load(it) }
assert !killed.getProperty('error') : "the watchdog did not kill run 1: ${killed.getProperty('error')}"
assert killed.getProperty('maven.pids') : "the watchdog found no Maven of run 1 to kill: ${killed}"
String servicePid = killed.getProperty('service.pid')
boolean recorded = killed.getProperty('state') =~ /(?m)^pid=\d+$/
println "killed-provision-converges: Maven was killed ${recorded ? 'after' : 'before'} it recorded web-1's pid" +
        " ${servicePid} in state.properties"

// build.log holds the three runs one after the other; each starts with Maven's "Scanning for projects".
List<List<String>> runs = []
new File(basedir, 'build.log').readLines('UTF-8').each { String line ->
    if (line.contains('Scanning for projects')) {
        runs << []
    }
    if (runs) {
        runs[-1] << line
    }
}
assert runs.size() == 3 : "expected 3 runs in build.log, found ${runs.size()}"
// 1: killed mid-way: Maven never got to say how the build went.
assert runs[0].any { it.contains('Creating web-1') } && !runs[0].any { it =~ /BUILD (SUCCESS|FAILURE)/ } :
        "run 1 was not killed while provisioning:\n${runs[0].join('\n')}"
// 2: converged without starting anything: web-1 is the very process the killed run started.
assert !runs[1].any { it =~ /Creating|Replacing|Removing/ } : "run 2 did not just keep web-1:\n${runs[1].join('\n')}"
String statusPid = runs[1].findResult { String line ->
    def row = line =~ /^\[INFO\] web\s+web-1\s+running\s+(\d+)\s/
    row ? row[0][1] : null
}
assert statusPid == servicePid : "web-1 runs as pid ${statusPid}, not as ${servicePid} that the killed run started"
assert !new File(basedir, 'svc/.itsvc/dev').exists() : 'destroy left svc/.itsvc/dev behind'
return true
