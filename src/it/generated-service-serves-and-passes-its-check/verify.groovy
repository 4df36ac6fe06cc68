// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// In lifecycle order: provisioned, tested, torn down, then verified.
List<String> log = new File(basedir, 'build.log').readLines('UTF-8')
def at = { String text ->
    int index = log.findIndexOf { it.contains(text) }
    assert index >= 0 : "build.log has no line with: ${text}"
    index
}
List<Integer> order = ['Site dev is provisioned', 'PASS  web-1', 'Site dev destroyed',
                       'All 1 deployment checks of site dev passed'].collect(at)
assert order == order.sort(false) : "lifecycle out of order: ${order}"

// The JUnit report (what CI reads): one test, passed.
File report = new File(basedir, 'svc/target/itsvc-reports/TEST-itsvc-dev.xml')
assert report.isFile() : "no JUnit report: ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert [suite.@tests, suite.@failures, suite.@errors]*.toString() == ['1', '0', '0'] : report.text
assert suite.testcase.size() == 1 && suite.testcase[0].@classname == 'itsvc.web' : report.text

// The instances are gone with their processes (the shared checks found none running).
assert !new File(basedir, 'svc/.itsvc/dev').exists() : 'destroy left svc/.itsvc/dev behind'
return true
