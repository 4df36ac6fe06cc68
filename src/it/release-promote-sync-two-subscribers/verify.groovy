// Stops the upstream's git daemon first (it serves from svc/, so the shared checks would count it as left running),
// then the checks every IT shares (expected.txt, nothing left running), then what each side ended with: the upstream's
// signed tags and channels, each appliance's trusted state, and what each sync deployed and tested.
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

File itDir = basedir.canonicalFile
File svc = new File(itDir, 'svc')
File pidFile = new File(svc, 'git-daemon.pid')
if (pidFile.isFile()) {
    ProcessHandle.of(pidFile.text.trim() as long).ifPresent { ProcessHandle daemon ->
        daemon.descendants().forEach { it.destroy() }
        daemon.destroy()
        daemon.onExit().get(10, TimeUnit.SECONDS)
    }
}

evaluate(new File(itShared, 'verify.groovy'))

// build.log holds the runs one after the other; each starts with Maven's "Scanning for projects".
List<List<String>> runs = []
new File(itDir, 'build.log').readLines('UTF-8').each { String line ->
    if (line.contains('Scanning for projects')) {
        runs << []
    }
    if (runs) {
        runs[-1] << line
    }
}
assert runs.size() == 15 : "expected 15 runs in build.log, found ${runs.size()}"
runs.eachWithIndex { List<String> log, int i ->
    if (i + 1 != 12) {
        assert log.any { it.contains('BUILD SUCCESS') } : "run ${i + 1} failed:\n${log.join('\n')}"
    }
}
// Run 12, the sync that rolled back, fails the way a deployment failure should: through a MojoFailureException, with
// the evidence (the failed check) and no stack trace.
List<String> rollback = runs[11]
assert rollback.any { it.contains('BUILD FAILURE') } : "the sync of 1.1.1 did not fail:\n${rollback.join('\n')}"
assert rollback.any { it =~ /\[Help 1\] \S+\/MAVEN\/MojoFailureException/ }
assert !rollback.any { it =~ /^\s*at [\w$.]+\(.*\)\s*$/ || it =~ /^\s*Caused by: / } : 'a stack trace'
assert rollback.any { it =~ /web-1 failed its check web-1 http .*contains "<h1>team-wiki \(dev\)<\/h1>"/ } :
        "the failed check is not shown:\n${rollback.join('\n')}"
String seconds = runs.collect { List<String> log ->
    log.findResult { def t = it =~ /Total time:\s+(.+)$/; t ? t[0][1].trim() : null }
}.withIndex().collect { t, i -> "${i + 1}: ${t}" }.join(', ')
println "release-promote-sync-two-subscribers: Maven's times per run: ${seconds}"

/** Runs git in the upstream and returns its output. */
def git = { String... args ->
    Process p = new ProcessBuilder(['git', '-C', new File(svc, 'upstream/team-wiki.git').path] + (args as List))
            .redirectErrorStream(true).start()
    String out = p.inputStream.getText('UTF-8')
    assert p.waitFor() == 0 : "git ${args.join(' ')}: ${out}"
    out
}

// The upstream: four annotated tags, each carrying its manifest; channel beta ends on 1.1.1, live on 1.1.0, each
// record signed (channel.json.asc beside it).
assert git('tag', '-l').readLines()*.trim() == ['v1.0.0', 'v1.0.1', 'v1.1.0', 'v1.1.1']
['1.0.0', '1.0.1', '1.1.0', '1.1.1'].each { String version ->
    assert git('cat-file', '-t', "v${version}").trim() == 'tag'
    String tag = git('cat-file', 'tag', "v${version}")
    assert tag.contains('-----BEGIN PGP SIGNATURE-----') : "v${version} is not signed:\n${tag}"
    assert tag.contains(version) && tag.contains('team-wiki') : "v${version} has no manifest:\n${tag}"
}
[beta: '1.1.1', live: '1.1.0'].each { String channel, String release ->
    def record = new JsonSlurper().parseText(git('show', "refs/itsvc/channels/${channel}:channel.json"))
    assert record.release == release : "channel ${channel}: ${record}"
    assert git('show', "refs/itsvc/channels/${channel}:channel.json.asc").contains('BEGIN PGP SIGNATURE')
}
// mvn deploy also deployed each bundle.
['1.0.0', '1.0.1', '1.1.0', '1.1.1'].each { String version ->
    File dir = new File(svc, "bundles/com/example/team-wiki/${version}-SNAPSHOT")
    assert dir.listFiles()?.any { it.name.endsWith('.zip') } : "no bundle of ${version} deployed in ${dir}"
}

// Each appliance's trusted state: the release it runs, and the channel record it took.
Map<String, String> running = [:]
['beta', 'live'].each { String site ->
    def state = new JsonSlurper().parse(new File(svc, "subscriptions/team-wiki/${site}/state.json"))
    running[site] = state.release
    assert state.failed == (site == 'beta' ? ['1.1.1'] : []) : "${site}: ${state}"
}
assert running == [beta: '1.1.0', live: '1.0.1'] : "the appliances run ${running}"

// What each sync deployed was tested there: the page of the release it took (its check expects "release <v>").
def passed = { List<String> log, String version ->
    log.any { it =~ /PASS\s+web-1\s+http .*contains "release ${java.util.regex.Pattern.quote(version)}"/ }
}
assert passed(runs[2], '1.0.0') && passed(runs[3], '1.0.0') : 'the first syncs did not test 1.0.0'
assert passed(runs[8], '1.1.0') : "beta's sync did not test 1.1.0:\n${runs[8].join('\n')}"
assert passed(runs[9], '1.0.1') : "live's sync did not test 1.0.1:\n${runs[9].join('\n')}"
assert !runs[9].any { it.contains('release 1.1.0') } : 'live deployed 1.1.0, beyond its accept: patch'
// The rollback: 1.1.1 deployed (the failed check shows the page it served: 1.1.1's, with beta's heading), then 1.1.0
// deployed again and tested.
int failedAt = rollback.findIndexOf { it.contains('back to   1.1.0 (1.1.1 failed its tests)') }
assert failedAt > 0 : "no rollback in:\n${rollback.join('\n')}"
List<String> tried = rollback.subList(0, failedAt)
assert tried.any { it.contains('<p id="release">release 1.1.1</p>') } && tried.any { it.contains('<h1>team-wiki (beta)</h1>') } :
        "1.1.1 was not deployed on beta:\n${rollback.join('\n')}"
assert passed(rollback.subList(failedAt, rollback.size()), '1.1.0') : "1.1.0 was not tested after the rollback"
// The no-op sync after it deployed nothing, and did not try 1.1.1 again.
assert runs[12].any { it =~ /Up to date: team-wiki 1\.1\.0 runs on site beta/ }
assert !runs[12].any { it =~ /Deploying|Creating|Replacing|PASS/ } : "the no-op sync did something:\n${runs[12].join('\n')}"

// The appliances' status pages say what the syncs did: the release running from the channel, and the history.
String betaPage = new File(svc, 'beta/target/itsvc/status/index.html').getText('UTF-8')
assert betaPage.contains('Channels and sync history') : 'beta\'s status page has no sync history'
assert betaPage =~ /<th scope="row">beta<\/th><td>1\.1\.0<\/td>/ : 'beta\'s status page does not say 1.1.0 runs'
['taken', 'rolled back', 'up to date'].each { String outcome ->
    assert betaPage.contains("> ${outcome}</td>") : "beta's status page has no sync ${outcome}"
}
String livePage = new File(svc, 'live/target/itsvc/status/index.html').getText('UTF-8')
assert livePage =~ /<th scope="row">live<\/th><td>1\.0\.1<\/td>/ : 'live\'s status page does not say 1.0.1 runs'
// Both appliances are down.
['beta', 'live'].each { String site ->
    assert !new File(svc, "${site}/.itsvc/${site}").exists() : "destroy left svc/${site}/.itsvc/${site} behind"
}
return true
