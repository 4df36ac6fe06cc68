// Post-build checks every IT shares, evaluated by the IT's own verify.groovy (basedir: the IT's directory).
//
// expected.txt (required): one expectation a line, each met by some line of build.log; blank lines and lines
// starting with # are ignored.
//   some text        a line of the log contains it
//   regex: pattern   a line of the log matches it somewhere (Java regular expression)
//
// A build expected to fail (invoker.buildResult=failure) must also fail in a way the user can act on:
//   - with no Java stack trace: no "at x.y.Z(...)" line, no "Caused by:", no exception class name;
//   - for the service builds (<it>/svc): through a MojoFailureException (what the user can fix), leaving no
//     temporary folder in target/itsvc;
// and, by the goal that failed (Maven's "Failed to execute goal ...:<goal>" line):
//   - a mistake in the definition (any goal but the deployment goals below) with a fix hint, a line "fix: ..."
//     (after Maven's [ERROR] prefix), and nothing half-rendered: no target/itsvc/<site> of the failed site or of dev;
//   - a failed deployment (provision, test-deployment, destroy, verify-deployment, status): the service was rendered
//     (target/itsvc/<site> is legitimately there) and did not work. Its guidance is the evidence (the failed check's
//     last response, the instance's log tail, the JUnit report), which the IT's expected.txt asserts, so no fix
//     hint is required; in a lifecycle build (a phase such as verify, without -Ditsvc.keep) the instances must be
//     torn down: no .itsvc/<site>.
//
// Every service IT (one with <it>/svc), passed or failed, must leave nothing running: no live process whose command
// line or working directory is in <it>/svc (the IT's builds started it), and no .itsvc/<site>/<instance>/
// state.properties recording a live pid. Whatever is left is reported, then killed, so a failed IT does not leave a
// Tomcat behind on the machine.
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
    Set<String> deploymentGoals = ['provision', 'test-deployment', 'destroy', 'verify-deployment', 'status'] as Set
    List<String> failedGoals = log.findResults { String line ->
        def failed = line =~ /Failed to execute goal [\w.-]+:[\w.-]+:[\w.-]+:([\w-]+) \(/
        failed.find() ? failed.group(1) : null
    }
    boolean deploymentFailed = failedGoals && failedGoals.every { it in deploymentGoals }
    List<String> messages = log.collect { it.replaceFirst(/^\[(?:ERROR|WARNING|INFO)\]\s?/, '') }
    if (!deploymentFailed && !messages.any { it ==~ /\s*fix: \S.*/ }) {
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
        if (!deploymentFailed) {
            sites.each { String site ->
                if (new File(output, site).exists()) {
                    unmet << "the failed build left ${new File(output, site)} behind"
                }
            }
        } else if (goals.split(/\s+/).any { it ==~ /[a-z][a-z-]*/ } && !goals.contains('-Ditsvc.keep')) {
            // A lifecycle build (a phase among the goals, not only itsvc:... from a terminal) tears down on failure.
            sites.each { String site ->
                File instances = new File(svc, ".itsvc/${site}")
                if (instances.exists()) {
                    unmet << "the failed deployment was not torn down: ${instances} is still there"
                }
            }
        }
        output.listFiles()?.findAll { it.name.startsWith('.') || it.name.contains('tmp') }?.each {
            unmet << "the failed build left a temporary ${it} behind"
        }
    }
}

// 3. nothing left running
File service = new File(itDir, 'svc')
if (service.isDirectory()) {
    String inside = service.canonicalPath + File.separator
    long self = ProcessHandle.current().pid()
    List<ProcessHandle> left = ProcessHandle.allProcesses().filter { ProcessHandle p ->
        p.pid() != self && startedIn(p, inside)
    }.toList()
    left.each { ProcessHandle p ->
        String command = commandLine(p)
        String shown = command.length() > 300 ? command.take(300) + '...' : command
        unmet << "still running after the IT: pid ${p.pid()}: ${shown}"
    }
    File instances = new File(service, '.itsvc')
    if (instances.isDirectory()) {
        instances.eachFileRecurse(groovy.io.FileType.FILES) { File file ->
            if (file.name == 'state.properties') {
                Properties state = new Properties()
                file.withInputStream { state.load(it) }
                String pid = state.getProperty('pid')
                if (pid && ProcessHandle.of(pid as long).map { alive(it) }.orElse(false)) {
                    unmet << "${file} records pid ${pid}, which still runs"
                }
            }
        }
    }
    // Nothing outlives a failed IT either: kill what is left (the report above says what it was).
    left.each { ProcessHandle p ->
        p.descendants().forEach { it.destroyForcibly() }
        p.destroyForcibly()
    }
}

if (unmet) {
    throw new AssertionError("IT ${itDir.name} (expected: build ${expectFailure ? 'failure' : 'success'}):\n  - "
            + unmet.join('\n  - '))
}
return true

/** Whether the process runs from inside dir (its working directory) or names it on its command line. */
static boolean startedIn(ProcessHandle p, String dir) {
    if (!alive(p)) {
        return false
    }
    try {
        String cwd = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/${p.pid()}/cwd")).toString()
        if ((cwd + File.separator).startsWith(dir)) {
            return true
        }
    } catch (IOException | UnsupportedOperationException ignored) {
        // not Linux, or not ours to look at: the command line alone tells
    }
    return commandLine(p).contains(dir)
}

/** The full command line (from /proc on Linux, where ProcessHandle may shorten it). */
static String commandLine(ProcessHandle p) {
    File cmdline = new File("/proc/${p.pid()}/cmdline")
    try {
        if (cmdline.canRead()) {
            return new String(cmdline.bytes, 'UTF-8').replace('\u0000' as char, ' ' as char).trim()
        }
    } catch (IOException ignored) {
        // gone meanwhile
    }
    return p.info().commandLine().orElse('')
}

/** Alive and not a zombie (an orphan nobody reaps stays a zombie in many containers, but it runs nothing). */
static boolean alive(ProcessHandle p) {
    if (!p.isAlive()) {
        return false
    }
    File stat = new File("/proc/${p.pid()}/stat")
    if (!stat.canRead()) {
        return true
    }
    try {
        String text = stat.text
        return !(text.substring(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) in ['Z', 'X', 'x'])
    } catch (IOException ignored) {
        return false
    }
}
