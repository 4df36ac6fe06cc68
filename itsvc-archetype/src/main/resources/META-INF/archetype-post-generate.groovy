// Runs after the archetype generated a project, in batch mode (-B) too, where the archetype plugin does not check
// a required property's validationRegex:
// 1. a service name itsvc would reject later fails the generation now, and leaves nothing behind. The rule is the
//    one in archetype-metadata.xml, read from this archetype's jar;
// 2. -Dtemplate picks the catalog entry: landing-page is the archetype's own files; another entry's project files
//    (itsvc/catalog/<entry>/project/ in this jar, copied from itsvc-templates when the archetype is built) replace
//    them. An unknown entry fails the generation, listing the entries, and leaves nothing behind;
// 3. itsvc.baseline records how the project was generated, so that an upgrade (mvn itsvc:upgrade) can generate the
//    same project with the old and a newer archetype and merge the difference into the user's project. Its defaults=
//    line names the version pins (junitVersion, itsvcVersion) left at this archetype's defaults: an upgrade lets the
//    newer archetype choose them, so the project moves to the plugin and JUnit that archetype was released with.
import java.util.jar.JarFile

ClassLoader loader = Thread.currentThread().contextClassLoader
File project = new File(request.outputDirectory, request.artifactId)
Properties properties = request.properties

def metadata = loader.getResource('META-INF/maven/archetype-metadata.xml')
def descriptor = new groovy.xml.XmlSlurper().parse(metadata.toString())
def regex = descriptor.requiredProperties.requiredProperty.find { it.@key == 'serviceName' }.validationRegex.text()
if (!(serviceName ==~ regex)) {
    project.deleteDir()
    def suggestion = serviceName.toLowerCase().replaceAll(/[^a-z0-9-]+/, '-').replaceAll(/^[^a-z]+/, '') ?: 'my-service'
    throw new IllegalArgumentException("serviceName '" + serviceName + "' is not a valid service name\n"
            + "    fix: use lower-case letters, digits and dashes, starting with a letter (" + regex + "), for example"
            + " -DserviceName=" + suggestion)
}

URL index = loader.getResource('itsvc/catalog/catalog.properties')
Properties catalog = new Properties()
index.withReader('UTF-8') { catalog.load(it) }
List<String> entries = catalog.getProperty('entries').split(',')*.trim()
String entry = properties.getProperty('template')
if (!(entry in entries)) {
    project.deleteDir()
    throw new IllegalArgumentException("template '" + entry + "' is not an entry of the itsvc catalog\n"
            + "    fix: use one of these (mvn itsvc:catalog lists them too):\n"
            + entries.collect { "      -Dtemplate=" + it.padRight(16) + " " + catalog.getProperty(it + '.summary') }
            .join('\n'))
}

String source = catalog.getProperty(entry + '.project')
if (source) {
    Map<String, byte[]> entryFiles = files(index, source)
    if (entryFiles.isEmpty()) {
        project.deleteDir()
        throw new IllegalStateException("the archetype has no files in " + source + ": it was built without its catalog")
    }
    // The landing page's own files give way to the entry's; .gitignore and src/main/itsvc/keys stay.
    ['README.md', 'pom.xml', 'itsvc.lock', 'src/main/itsvc/service.yaml', 'src/main/itsvc/sites',
     'src/main/itsvc/templates', 'src/test/java'].each { String path ->
        File file = new File(project, path)
        file.isDirectory() ? file.deleteDir() : file.delete()
    }
    // Velocity's ${...} for the archetype's properties, as in the archetype's own files; FreeMarker templates and
    // the lock file are copied as they are.
    List<String> names = ['groupId', 'artifactId', 'version', 'serviceName', 'package', 'junitVersion', 'itsvcVersion']
    String packagePath = properties.getProperty('package').replace('.', '/')
    entryFiles.each { String path, byte[] content ->
        String to = path.startsWith('src/test/java/') ? 'src/test/java/' + packagePath + '/' + (path - 'src/test/java/')
                : path
        File target = new File(project, to)
        target.parentFile.mkdirs()
        if (path.endsWith('.ftl') || path == 'itsvc.lock') {
            target.bytes = content
        } else {
            String text = new String(content, 'UTF-8')
            names.each { String name -> text = text.replace('${' + name + '}', properties.getProperty(name)) }
            target.setText(text, 'UTF-8')
        }
    }
}

List<String> defaults = ['junitVersion', 'itsvcVersion'].findAll { String key ->
    descriptor.requiredProperties.requiredProperty.find { it.@key == key }.defaultValue.text() == properties.getProperty(key)
}
new File(project, 'itsvc.baseline').setText(
        '# How this project was generated: an upgrade generates it again with these, from the old and the new\n'
        + '# archetype, and merges the difference into this project. Written by the archetype; do not edit.\n'
        + "archetype=${request.archetypeGroupId}:${request.archetypeArtifactId}:${request.archetypeVersion}\n"
        + "template=${entry}\n"
        + ['groupId', 'artifactId', 'version', 'serviceName', 'package', 'junitVersion', 'itsvcVersion']
        .collect { it + '=' + properties.getProperty(it) + '\n' }.join('')
        + '# The version pins left at the archetype\'s defaults: an upgrade takes the new archetype\'s.\n'
        + 'defaults=' + defaults.join(',') + '\n', 'UTF-8')
return

/** The files under a folder of this archetype's jar (or class folder), beside the catalog's index: path -> bytes. */
static Map<String, byte[]> files(URL index, String folder) {
    Map<String, byte[]> found = new TreeMap<>()
    String prefix = folder + '/'
    if (index.protocol == 'jar') {
        JarFile jar = ((JarURLConnection) index.openConnection()).jarFile
        jar.entries().findAll { !it.directory && it.name.startsWith(prefix) }.each {
            found[it.name - prefix] = jar.getInputStream(it).bytes
        }
    } else {
        File root = new File(new File(index.toURI()).parentFile.parentFile.parentFile, folder)
        root.isDirectory() && root.eachFileRecurse(groovy.io.FileType.FILES) {
            found[root.toPath().relativize(it.toPath()).toString().replace(File.separatorChar, '/' as char)] = it.bytes
        }
    }
    return found
}
