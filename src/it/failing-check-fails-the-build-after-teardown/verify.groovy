// The checks every IT shares: expected.txt; for a failed deployment, no stack trace, a MojoFailureException, the
// deployment torn down (no svc/.itsvc/dev); and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// Like failsafe: the check fails in integration-test, destroy still runs, and only then is the build failed.
List<String> log = new File(basedir, 'build.log').readLines('UTF-8')
def at = { String text ->
    int index = log.findIndexOf { it.contains(text) }
    assert index >= 0 : "build.log has no line with: ${text}"
    index
}
List<Integer> order = ['FAIL  web-1', 'Site dev destroyed', 'verify-deployment (default-verify-deployment) @',
                       'BUILD FAILURE', 'Failed to execute goal'].collect(at)
assert order == order.sort(false) : "not failed after teardown: ${order}"

// The JUnit report: one test, failed, with the last response (the page as served) and the tail of Tomcat's log.
File report = new File(basedir, 'svc/target/itsvc-reports/TEST-itsvc-dev.xml')
assert report.isFile() : "no JUnit report: ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert [suite.@tests, suite.@failures, suite.@errors]*.toString() == ['1', '1', '0'] : report.text
String failure = suite.testcase[0].failure.text()
assert failure =~ /GET http:\/\/127\.0\.0\.1:\d+\/ -> 200/ : "no last response in the report:\n${failure}"
assert failure.contains('<title>team-wiki (dev)</title>') : "no body of the last response in the report:\n${failure}"
assert failure =~ /stderr \(last \d+ lines\):/ && failure.contains('org.apache.catalina') :
        "no tail of the instance's log in the report:\n${failure}"
assert failure.contains('check defined at src/main/itsvc/service.yaml:') : "the report does not say where:\n${failure}"
return true
