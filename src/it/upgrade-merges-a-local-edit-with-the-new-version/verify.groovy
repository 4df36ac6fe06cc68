// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

File svc = new File(basedir, 'svc')
String log = new File(basedir, 'build.log').getText('UTF-8')
assert !log.contains('conflicts (') : 'the upgrade reported a conflict'
assert !log.contains('BUILD FAILURE')

def git = { String... args ->
    Process process = new ProcessBuilder(['git'] + args.toList()).directory(svc).redirectErrorStream(true).start()
    String output = process.inputStream.getText('UTF-8')
    assert process.waitFor() == 0 : "git ${args.join(' ')}: ${output}"
    output
}
// Both changes are in the files: the user's template edit, B's title.
String page = new File(svc, 'src/main/itsvc/templates/index.html.ftl').getText('UTF-8')
assert page.contains('Our team wiki: this page was rendered by itsvc') : 'the user\'s edit of the template is gone'
String dev = new File(svc, 'src/main/itsvc/sites/dev.yaml').getText('UTF-8')
assert dev.contains('title: "team-wiki (dev, upgraded)"') : "version B's title did not arrive:\n${dev}"
assert !(page + dev).contains('<<<<<<<')
String baseline = new File(svc, 'itsvc.baseline').getText('UTF-8')
assert baseline.contains('archetype=io.github.itsvc:itsvc-archetype:0.2.0-it-merge') : baseline

// In git: the upgrade staged, nothing unmerged, nothing else touched (target/ is ignored).
assert git('ls-files', '-u').isEmpty() : 'unmerged entries in the index'
List<String> status = git('status', '--porcelain').readLines().sort()
assert status == ['M  itsvc.baseline', 'M  src/main/itsvc/sites/dev.yaml'] : status
String staged = git('diff', '--cached', '--', 'src/main/itsvc/sites/dev.yaml')
assert staged.contains('-  title: "team-wiki (dev)"') && staged.contains('+  title: "team-wiki (dev, upgraded)"') : staged

// Run 2 rendered the upgraded project: the page shows both.
File rendered = new File(svc, 'target/itsvc/dev/web/web-1/root/webapps/ROOT/index.html')
if (!rendered.isFile()) {
    rendered = null
    new File(svc, 'target/itsvc/dev').eachFileRecurse(groovy.io.FileType.FILES) {
        if (it.name == 'index.html') {
            rendered = it
        }
    }
}
assert rendered != null : 'render-config rendered no index.html'
String html = rendered.getText('UTF-8')
assert html.contains('<title>team-wiki (dev, upgraded)</title>') && html.contains('Our team wiki') : html
return true
