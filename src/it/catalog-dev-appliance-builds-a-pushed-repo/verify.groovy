// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// The entry's files, not the landing page's: its definition, its test, its pinned lock file, and the baseline.
File svc = new File(basedir, 'svc')
assert new File(svc, 'src/test/java/com/example/DevApplianceIT.java').isFile()
assert !new File(svc, 'src/test/java/com/example/LandingPageIT.java').exists()
assert new File(svc, 'src/main/itsvc/service.yaml').text.contains('name: dev-appliance')
assert new File(svc, 'itsvc.baseline').text.contains('template=dev-appliance')

// DevApplianceIT really ran against the appliance: failsafe's report, one test, passed.
File report = new File(svc, 'target/failsafe-reports/TEST-com.example.DevApplianceIT.xml')
assert report.isFile() : "no failsafe report: ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert [suite.@tests, suite.@failures, suite.@errors, suite.@skipped]*.toString() == ['1', '0', '0', '0'] : report.text
assert !new File(svc, '.itsvc/dev').exists() : 'destroy left svc/.itsvc/dev behind'
return true
