// Sets the scene of invoker.properties, all of it real and on this machine:
//   svc/upstream/team-wiki.git   the upstream, a bare repository served by git daemon on 127.0.0.1 (push enabled);
//                                its pid in svc/git-daemon.pid, stopped by verify.groovy
//   svc/signing/secret.asc       the author's signing key (made here with gpg --batch, no passphrase); its public half
//                                is committed as src/main/itsvc/keys/release.asc, the key both subscribers trust
//   svc/author-<version>/        the author's checkout at the commit of each release (1.0.0, 1.0.1, 1.1.0, 1.1.1): the
//                                invoker runs no script between runs, so each point in the author's history is a
//                                clone of its own, its origin the upstream
//   svc/beta/, svc/live/         the two appliances: clones of the upstream, whose sites subscribe to channel beta
//                                (accept: minor) and live (accept: patch)
//   svc/bundles/                 where mvn deploy puts the bundles (the POM's distributionManagement)
// Each release's landing page says "release <version>" and its check expects exactly that, so a deployment passes
// only if it serves the release it claims.
import java.nio.file.Files
import java.util.concurrent.TimeUnit

evaluate(new File(itShared, 'prepare.groovy'))

File itDir = basedir.canonicalFile
File svc = new File(itDir, 'svc')
File generated = new File(itDir, 'generated')
generated.deleteDir()
assert svc.renameTo(generated)
svc.mkdirs()

/** Runs a command (git, gpg), failing with its output if it fails; returns its standard output. */
def run = { File dir, Map<String, String> env, List<String> command ->
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir).redirectErrorStream(true)
    builder.environment().putAll(env)
    // The author and appliances commit as someone, whatever the machine's git config says.
    builder.environment().putAll(['GIT_AUTHOR_NAME': 'Team Wiki Author', 'GIT_AUTHOR_EMAIL': 'author@example.com',
            'GIT_COMMITTER_NAME': 'Team Wiki Author', 'GIT_COMMITTER_EMAIL': 'author@example.com',
            'GIT_CONFIG_NOSYSTEM': '1', 'HOME': itDir.path])
    Process process = builder.start()
    String output = process.inputStream.getText('UTF-8')
    if (process.waitFor() != 0) {
        throw new IllegalStateException("${command.join(' ')} (in ${dir}) failed:\n${output}")
    }
    output
}
def git = { File dir, String... args -> run(dir, [:], ['git'] + (args as List)) }
def edit = { File file, String from, String to ->
    String text = file.getText('UTF-8')
    assert text.contains(from) : "${file} has no ${from}: the generated service changed, adapt this IT"
    file.setText(text.replace(from, to), 'UTF-8')
}

// 1. The upstream, served by git daemon on a free loopback port. `timeout` bounds its life should verify.groovy
// never run (an invoker failure before it): it cannot outlive this IT by more than that.
File upstreamBase = new File(svc, 'upstream')
upstreamBase.mkdirs()
git(upstreamBase, 'init', '--bare', '-q', 'team-wiki.git')
int port = new ServerSocket(0, 1, InetAddress.loopbackAddress).withCloseable { it.localPort }
File pidFile = new File(svc, 'git-daemon.pid')
new ProcessBuilder('timeout', '1200', 'git', 'daemon', '--export-all', '--reuseaddr', '--enable=receive-pack',
        '--informative-errors', "--base-path=${upstreamBase}", "--port=${port}", '--listen=127.0.0.1',
        "--pid-file=${pidFile}", upstreamBase.path)
        .redirectErrorStream(true).redirectOutput(new File(itDir, 'git-daemon.log')).start()
long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
while (true) {
    try {
        new Socket().withCloseable { it.connect(new InetSocketAddress('127.0.0.1', port), 200) }
        break
    } catch (IOException notYet) {
        assert System.nanoTime() < deadline : "git daemon did not listen on 127.0.0.1:${port}: ${new File(itDir, 'git-daemon.log').text}"
        Thread.sleep(50)
    }
}
String upstream = "git://127.0.0.1:${port}/team-wiki.git"
new File(itDir, 'upstream.url').text = upstream

// 2. The signing key, in a keyring of its own outside svc/ (short path: gpg-agent's socket lives there), gone after.
File gnupg = Files.createTempDirectory('itsvc-it-gpg').toFile()
Map<String, String> gpgEnv = ['GNUPGHOME': gnupg.path]
try {
    run(itDir, gpgEnv, ['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key',
            'team-wiki releases <releases@example.com>', 'ed25519', 'sign', 'never'])
    File signing = new File(svc, 'signing')
    signing.mkdirs()
    new File(signing, 'secret.asc').text = run(itDir, gpgEnv, ['gpg', '--batch', '--pinentry-mode', 'loopback',
            '--passphrase', '', '--armor', '--export-secret-keys', 'releases@example.com'])
    new File(generated, 'src/main/itsvc/keys/release.asc').text = run(itDir, gpgEnv, ['gpg', '--batch', '--armor',
            '--export', 'releases@example.com'])
} finally {
    run(itDir, gpgEnv, ['gpgconf', '--kill', 'gpg-agent'])
    gnupg.deleteDir()
}

// 3. The service as its author has it: sites beta and live on this machine, each with its subscription; version
// 1.0.0-SNAPSHOT (as generated); bundles deployed to svc/bundles; the page and its check name the release.
edit(new File(generated, 'pom.xml'), '  </properties>', """\
    <!-- Releases land on beta; itsvc:promote moves them on to live. -->
    <itsvc.channels>beta,live</itsvc.channels>
  </properties>""")
edit(new File(generated, 'pom.xml'), '  <build>', """  <distributionManagement>
    <repository>
      <id>it-bundles</id>
      <url>${new File(svc, 'bundles').toURI()}</url>
    </repository>
  </distributionManagement>

  <build>""")
edit(new File(generated, 'src/main/itsvc/templates/index.html.ftl'), '<p>It works:',
        '<p id="release">release 1.0.0</p>\n  <p>It works:')
edit(new File(generated, 'src/main/itsvc/service.yaml'), 'contains: "team-wiki"', 'contains: "release 1.0.0"')
['beta': 'minor', 'live': 'patch'].each { String site, String accept ->
    new File(generated, "src/main/itsvc/sites/${site}.yaml").setText("""\
# The ${site} appliance: this machine, following channel ${site} of the upstream and taking ${accept} changes by
# itself (mvn itsvc:sync -Ditsvc.site=${site}).
target: local
subscribe:
  upstream: ${upstream}
  channel: ${site}
  accept: ${accept}
  keys: [keys/release.asc]
values:
  title: "team-wiki (${site})"
""", 'UTF-8')
}

File author = new File(svc, 'author')
Files.move(generated.toPath(), author.toPath())
git(author, 'init', '-q', '-b', 'main')
git(author, 'add', '-A')
git(author, 'commit', '-q', '-m', 'team-wiki 1.0.0')
git(author, 'remote', 'add', 'origin', upstream)
git(author, 'push', '-q', 'origin', 'main')

/** The author's checkout at this commit, for one run of invoker.properties. */
def snapshot = { String version ->
    File checkout = new File(svc, "author-${version}")
    git(svc, 'clone', '-q', author.path, checkout.name)
    git(checkout, 'remote', 'set-url', 'origin', upstream)
}
snapshot('1.0.0')
['1.0.0': '1.0.1', '1.0.1': '1.1.0', '1.1.0': '1.1.1'].each { String from, String to ->
    edit(new File(author, 'pom.xml'), "<version>${from}-SNAPSHOT</version>", "<version>${to}-SNAPSHOT</version>")
    edit(new File(author, 'src/main/itsvc/templates/index.html.ftl'), "release ${from}", "release ${to}")
    edit(new File(author, 'src/main/itsvc/service.yaml'), "contains: \"release ${from}\"",
            "contains: \"release ${to}\"")
    if (to == '1.1.1') {
        // The author's mistake: a new check that expects the dev site's heading. It passes on dev (so 1.1.1 is
        // released) and fails everywhere else: beta's sync must bring 1.1.0 back.
        edit(new File(author, 'src/main/itsvc/service.yaml'), 'contains: "release 1.1.1" }, within: 120s }',
                'contains: "release 1.1.1" }, within: 120s }\n' +
                '      - { http: /, port: http, expect: { status: 200, contains: "<h1>team-wiki (dev)</h1>" }, timeout: 1s, within: 2s }')
    }
    git(author, 'commit', '-q', '-a', '-m', "team-wiki ${to}")
    git(author, 'push', '-q', 'origin', 'main')
    snapshot(to)
}

// 4. The appliances: their own checkouts of the upstream as it was when they were set up (1.0.0's commit).
['beta', 'live'].each { String site ->
    git(svc, 'clone', '-q', '--branch', 'main', upstream, site)
    git(new File(svc, site), 'reset', '-q', '--hard', 'HEAD~3')
}
return true
