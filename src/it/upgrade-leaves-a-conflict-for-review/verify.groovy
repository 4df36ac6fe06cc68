// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

File svc = new File(basedir, 'svc')
def git = { String... args ->
    Process process = new ProcessBuilder(['git'] + args.toList()).directory(svc).redirectErrorStream(true).start()
    String output = process.inputStream.getText('UTF-8')
    assert process.waitFor() == 0 : "git ${args.join(' ')}: ${output}"
    output
}

// Both runs failed as a user's mistake fails: through a MojoFailureException, with a fix, no stack trace.
List<List<String>> runs = []
new File(basedir, 'build.log').readLines('UTF-8').each { String line ->
    if (line.contains('Scanning for projects')) {
        runs << []
    }
    if (runs) {
        runs[-1] << line
    }
}
assert runs.size() == 2 : "expected 2 runs in build.log, found ${runs.size()}"
runs.eachWithIndex { List<String> run, int i ->
    assert run.any { it.contains('BUILD FAILURE') } : "run ${i + 1} did not fail"
    assert run.any { it ==~ /\[ERROR\]\s+fix: \S.*/ } : "run ${i + 1} has no fix line"
    assert run.any { it =~ /\[Help 1\] \S+\/MojoFailureException/ } : "run ${i + 1} did not fail by MojoFailureException"
    assert !run.any { it =~ /^\s*at [\w$.]+\(/ || it.startsWith('Caused by:') } : "run ${i + 1} has a stack trace"
}
assert !runs[1].any { it.contains('Generating the baseline') } : 'run 2 generated although it was refused'

// The conflict, as git leaves one: markers, and stages 1 (baseline), 2 (the user's), 3 (version B) in the index.
String dev = new File(svc, 'src/main/itsvc/sites/dev.yaml').getText('UTF-8')
assert dev.contains('<<<<<<< project\n  title: "Team Wiki"\n=======\n  title: "team-wiki (dev, upgraded)"\n'
        + '>>>>>>> itsvc-archetype 0.2.0-it-conflict\n') : dev
List<String> unmerged = git('ls-files', '-u').readLines()
assert unmerged.collect { it.split(/\s+/)[2] + ' ' + it.split('\t')[1] } ==
        ['1 src/main/itsvc/sites/dev.yaml', '2 src/main/itsvc/sites/dev.yaml', '3 src/main/itsvc/sites/dev.yaml'] :
        unmerged
assert git('show', ':2:src/main/itsvc/sites/dev.yaml').contains('title: "Team Wiki"')
assert git('show', ':3:src/main/itsvc/sites/dev.yaml').contains('title: "team-wiki (dev, upgraded)"')
assert git('show', ':1:src/main/itsvc/sites/dev.yaml').contains('title: "team-wiki (dev)"')

// The rest of the tree is intact: the user's other edits as committed, the new baseline staged, nothing else.
List<String> status = git('status', '--porcelain').readLines().sort()
assert status == ['M  itsvc.baseline', 'UU src/main/itsvc/sites/dev.yaml'] : status
assert git('diff', 'HEAD', '--', 'src/main/itsvc/templates/index.html.ftl', 'NOTES.md', 'pom.xml',
        'src/main/itsvc/service.yaml').isEmpty()
assert new File(svc, 'src/main/itsvc/templates/index.html.ftl').getText('UTF-8').contains('Our team wiki')
assert new File(svc, 'NOTES.md').getText('UTF-8') == 'Our own notes.\n'

// And it can be finished the way the goal says: take one side, git add, commit.
new File(svc, 'src/main/itsvc/sites/dev.yaml').setText(git('show', ':2:src/main/itsvc/sites/dev.yaml'), 'UTF-8')
git('add', 'src/main/itsvc/sites/dev.yaml')
git('-c', 'user.name=Service Author', '-c', 'user.email=author@example.org', '-c', 'commit.gpgsign=false',
        'commit', '-q', '-m', 'upgraded')
assert git('status', '--porcelain').isEmpty()
return true
