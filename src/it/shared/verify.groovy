// Post-build checks every IT shares, evaluated by the IT's own verify.groovy (basedir: the IT's directory).
//
// expected.txt (required): one expectation a line, each met by some line of build.log; blank lines and lines
// starting with # are ignored.
//   some text        a line of the log contains it
//   regex: pattern   a line of the log matches it somewhere (Java regular expression)
//
// A build expected to fail (invoker.buildResult=failure) must also fail the way a user's mistake should:
//   - with a fix hint: a line "fix: ..." (after Maven's [ERROR] prefix);
//   - with no Java stack trace: no "at x.y.Z(...)" line, no "Caused by:", no exception class name;
//   - for the service builds (<it>/svc): through a MojoFailureException (what the user can fix), and leaving
//     nothing half-rendered: no target/itsvc/<site> of the failed site or of dev, no temporary folder.
// Every unmet check is reported, not only the first.

File itDir = basedir
List<String> log = new File(itDir, 'build.log').readLines('UTF-8')
Properties invoker = new Properties()
new File(itDir, 'invoker.properties').withInputStream { invoker.load(it) }
boolean expectFailure = invoker.getProperty('invoker.buildResult', 'success').trim() == 'failure'
if (!log.any { it.startsWith('[INFO]') || it.startsWith('[ERROR]') }) {
    throw new AssertionError("IT ${itDir.name}: Maven did not run, see the pre-build script's error above")
}
List<String> unmet = []

// 1. expected.txt
File expectedFile = new File(itDir, 'expected.txt')
if (!expectedFile.isFile()) {
    unmet << "${expectedFile} is missing: every IT says in it what its build log must show"
} else {
    List<String> expectations = expectedFile.readLines('UTF-8')*.trim().findAll { it && !it.startsWith('#') }
    if (expectations.isEmpty()) {
        unmet << "${expectedFile} expects nothing: an IT that could not fail proves nothing"
    }
    expectations.each { String expectation ->
        boolean met
        if (expectation.startsWith('regex:')) {
            def pattern = ~expectation.substring('regex:'.length()).trim()
            met = log.any { it =~ pattern }
        } else {
            met = log.any { it.contains(expectation) }
        }
        if (!met) {
            unmet << "build.log has no line with: ${expectation}"
        }
    }
}

// 2. a failure the user can act on
if (expectFailure) {
    List<String> messages = log.collect { it.replaceFirst(/^\[(?:ERROR|WARNING|INFO)\]\s?/, '') }
    if (!messages.any { it ==~ /\s*fix: \S.*/ }) {
        unmet << 'build.log has no fix hint (a line "fix: ...")'
    }
    def stackFrame = ~/^\s*at [\w$.]+\.[\w$<>]+\(.*\)\s*$/
    def exceptionName = ~/\b(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b/
    log.eachWithIndex { String line, int index ->
        // Maven's [INFO] and [WARNING] lines may name other tools' exceptions; the failure is told in the rest.
        boolean told = !(line =~ /^\[(?:INFO|WARNING|DEBUG)\]/)
        if (line =~ stackFrame || line =~ /^\s*Caused by: / || told && line =~ exceptionName) {
            unmet << "build.log line ${index + 1} belongs to a Java stack trace or names an exception: ${line.trim()}"
        }
    }

    File svc = new File(itDir, 'svc')
    if (svc.isDirectory()) {
        List<String> failures = []
        log.each { String line ->
            def help = line =~ /\[Help \d+\] \S+\/MAVEN\/(\w+)/
            if (help.find()) {
                failures << help.group(1)
            }
        }
        if (failures != ['MojoFailureException']) {
            unmet << "the build should fail through a MojoFailureException (a mistake the user can fix), not" +
                    " ${failures}"
        }
        String goals = invoker.getProperty('invoker.goals', '')
        Set<String> sites = ['dev'] as Set
        (goals =~ /-Ditsvc\.site=(\S+)/).each { sites << it[1] }
        File output = new File(svc, 'target/itsvc')
        sites.each { String site ->
            if (new File(output, site).exists()) {
                unmet << "the failed build left ${new File(output, site)} behind"
            }
        }
        output.listFiles()?.findAll { it.name.startsWith('.') || it.name.contains('tmp') }?.each {
            unmet << "the failed build left a temporary ${it} behind"
        }
    }
}

if (unmet) {
    throw new AssertionError("IT ${itDir.name} (expected: build ${expectFailure ? 'failure' : 'success'}):\n  - "
            + unmet.join('\n  - '))
}
return true
