// The checks every IT shares: expected.txt, and nothing left running.
evaluate(new File(itShared, 'verify.groovy'))

// The entry's files, not the landing page's: its definition, its test, its pinned lock file, and the baseline.
File svc = new File(basedir, 'svc')
assert new File(svc, 'src/test/java/com/example/SingleSignOnIT.java').isFile()
assert !new File(svc, 'src/test/java/com/example/LandingPageIT.java').exists()
assert new File(svc, 'src/main/itsvc/service.yaml').text.contains('name: single-sign-on')
assert new File(svc, 'src/main/itsvc/sites/dev.yaml').text.contains('javaHome: ')
assert new File(svc, 'itsvc.baseline').text.contains('template=single-sign-on')

// SingleSignOnIT really ran against the server: failsafe's report, one test, passed.
File report = new File(svc, 'target/failsafe-reports/TEST-com.example.SingleSignOnIT.xml')
assert report.isFile() : "no failsafe report: ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert [suite.@tests, suite.@failures, suite.@errors, suite.@skipped]*.toString() == ['1', '0', '0', '0'] : report.text
assert !new File(svc, '.itsvc/dev').exists() : 'destroy left svc/.itsvc/dev behind'

// The admin password the server made never reached the build's output.
assert !(new File(basedir, 'build.log').text =~ /KC_BOOTSTRAP_ADMIN_PASSWORD=\S/)
return true
