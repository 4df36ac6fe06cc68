// Pre-build of an upgrade IT (upgrade-*), evaluated by its prebuild.groovy after shared/prepare.groovy, with
// `edits` set in the binding (a closure: the user's own edits of svc/, before the commit). It may use `replace`
// (text, from, to), set here, which fails the IT when `from` is not in the text, so an archetype change is noticed.
//
// An upgrade needs two real versions of the archetype. The one this reactor built (version A, which generated svc/
// in setup-generate) is in the ITs' repository; version B is made here from A's own jar with one file changed, and
// installed into the same repository (target/local-repo) under the version the IT's invoker.goals.1 upgrades to
// (-Ditsvc.upgradeTo=...). So nothing comes from the network, B is a real archetype that archetype:generate runs like
// any other (its Velocity files and post-generation script included), and each IT has its own B (no race between
// ITs running in parallel). B's itsvcVersion default stays A's, so the upgraded project still builds with this
// reactor's plugin.
//
// Then svc/ becomes what a user has: a git repository with the generated project committed, then the user's edits
// committed on top (git on the PATH; the ITs check the result with git too).
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream

binding.setVariable('replace', { String text, String from, String to ->
    assert text.contains(from) : "no '${from}' in:\n${text}\nthe archetype changed: adapt this IT"
    text.replace(from, to)
})
// Version B's one change: a new dev title, which both the user's edits and the merge must keep apart from theirs.
def variant = { String path, String text ->
    path == 'archetype-resources/src/main/itsvc/sites/dev.yaml'
            ? replace(text, 'title: "${serviceName} (dev)"', 'title: "${serviceName} (dev, upgraded)"') : text
}

File svc = new File(basedir, 'svc')
Properties invoker = new Properties()
new File(basedir, 'invoker.properties').withInputStream { invoker.load(it) }
def upgradeTo = invoker.getProperty('invoker.goals.1') =~ /-Ditsvc\.upgradeTo=(\S+)/
assert upgradeTo.find() : "${basedir}/invoker.properties: invoker.goals.1 must upgrade with -Ditsvc.upgradeTo=<version>"
String versionB = upgradeTo.group(1)

def recorded = new File(svc, 'itsvc.baseline').getText('UTF-8') =~ /(?m)^archetype=([^:]+):([^:]+):(\S+)$/
assert recorded.find() : "${svc}/itsvc.baseline records no archetype: did the archetype change?"
String groupId = recorded.group(1), artifactId = recorded.group(2), versionA = recorded.group(3)

File repository = new File(localRepositoryPath as String)
File folder = new File(repository, groupId.replace('.', '/') + '/' + artifactId)
File jarA = new File(folder, "${versionA}/${artifactId}-${versionA}.jar")
assert jarA.isFile() : "archetype version A is not in the ITs' repository: ${jarA}"
File dirB = new File(folder, versionB)
dirB.deleteDir()
dirB.mkdirs()
int changed = 0
new ZipFile(jarA).withCloseable { ZipFile a ->
    new ZipOutputStream(new FileOutputStream(new File(dirB, "${artifactId}-${versionB}.jar"))).withCloseable { out ->
        a.entries().each { ZipEntry entry ->
            byte[] content = a.getInputStream(entry).bytes
            if (!entry.directory) {
                String text = new String(content, 'UTF-8')
                String changedText = variant(entry.name, text)
                if (changedText != text) {
                    content = changedText.getBytes('UTF-8')
                    changed++
                }
            }
            out.putNextEntry(new ZipEntry(entry.name))
            out.write(content)
            out.closeEntry()
        }
    }
}
assert changed == 1 : "the variant should change one file of the archetype, it changed ${changed}"
new File(dirB, "${artifactId}-${versionB}.pom").setText("""<?xml version="1.0" encoding="UTF-8"?>
<!-- Made by src/it/shared/upgrade.groovy: version ${versionA} of the archetype with one file changed. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${groupId}</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${versionB}</version>
  <packaging>maven-archetype</packaging>
</project>
""", 'UTF-8')
println "upgrade: archetype ${groupId}:${artifactId}:${versionB} installed in ${repository} (${versionA}, one file changed)"

def git = { String... args ->
    def command = ['git', '-c', 'user.name=Service Author', '-c', 'user.email=author@example.org',
                   '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'] + args.toList()
    Process process = new ProcessBuilder(command).directory(svc).redirectErrorStream(true).start()
    String output = process.inputStream.getText('UTF-8')
    assert process.waitFor() == 0 : "${command.join(' ')} failed in ${svc}:\n${output}"
    output
}
git('init', '-q')
git('add', '-A')
git('commit', '-q', '-m', "generated from ${artifactId} ${versionA}")
edits(svc)
git('add', '-A')
git('commit', '-q', '-m', 'our own changes')
return true
