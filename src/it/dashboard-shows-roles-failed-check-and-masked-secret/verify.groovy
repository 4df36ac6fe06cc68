// The checks every IT shares (expected.txt, nothing left running), then the pages' files; what a person sees in a
// browser is DashboardBrowserIT's (itsvc-archetype/src/test/java), which opens these same files.
evaluate(new File(itShared, 'verify.groovy'))

List<String> log = new File(basedir, 'build.log').readLines('UTF-8')
int second = log.findLastIndexOf { it.contains('Scanning for projects...') }
assert second > 0 : 'build.log holds one run, not two'
List<String> verify = log.subList(0, second)
assert verify.any { it.contains('verify-deployment (default-verify-deployment) @') } &&
        verify.any { it.contains('1 of 2 deployment checks failed') } : 'run 1 did not fail on the one failed check'
assert !new File(basedir, 'svc/.itsvc/dev').exists() : 'run 1 left its deployment behind'

File svc = new File(basedir, 'svc')
File status = new File(svc, 'target/itsvc/status/index.html')
File published = new File(svc, 'public/status/index.html')
File report = new File(svc, 'target/site/itsvc-report.html')
[status, published, report].each { assert it.isFile() : "no ${it}" }
assert published.text == status.text : 'the site\'s statusPage copy differs from the status page'

String page = status.getText('UTF-8')
String html = report.getText('UTF-8')
[page, html].each { String text ->
    assert text.contains('data-role="web"') && text.contains('data-role="store"') : 'no roles in the diagram'
    assert text.contains('<strong>FAILED</strong>') : 'the failed check is not shown as failed'
    assert text.contains('<code>apiToken</code>') && text.contains('(masked secret)') : 'the secret is not masked'
}
// The status page needs no script (the site's skin brings its own; DashboardBrowserIT reads both with scripts off).
assert !page.contains('<script') : 'the status page needs no script'

assert html.contains('written by <code>mvn site</code>') : 'the report was not made by mvn site'
// Secrets never reach reports or state: no file itsvc wrote for the pages holds the token.
def holders = []
[new File(svc, 'target/itsvc/status'), new File(svc, 'target/site'), new File(svc, 'public')].each { File dir ->
    dir.eachFileRecurse(groovy.io.FileType.FILES) { File f -> if (f.text.contains('tok-3f9a-never-shown')) holders << f }
}
assert holders.isEmpty() : "the secret reached ${holders}"
return true
