// The archetype's ITs (itsvc-archetype/src/test/resources/projects) compare every generated file but .gitignore.
// Here: every file archetype-metadata.xml copies unfiltered (templates, keys, .gitignore) is a byte-for-byte copy
// of the archetype's, so Velocity never touched FreeMarker's ${...} and <#...>, and .gitignore made it through.
File project = basedir.listFiles().find { new File(it, 'pom.xml').isFile() }
assert project != null : "setup-generate: no project generated in ${basedir}"

File resources = new File(archetypeSources)
def metadata = new groovy.xml.XmlSlurper().parse(new File(resources, '../META-INF/maven/archetype-metadata.xml'))
List<String> unfiltered = []
metadata.fileSets.fileSet.findAll { it.@filtered == 'false' }.each { fileSet ->
    String directory = fileSet.directory.text() ? fileSet.directory.text() + '/' : ''
    fileSet.includes.include*.text().each { String include ->
        if (include.endsWith('/**')) {
            File dir = new File(resources, directory + include - '/**')
            dir.eachFileRecurse(groovy.io.FileType.FILES) {
                unfiltered << resources.toPath().relativize(it.toPath()).toString()
            }
        } else {
            unfiltered << directory + include
        }
    }
}
assert unfiltered.contains('.gitignore') && unfiltered.any { it.endsWith('.ftl') } :
        "archetype-metadata.xml copies other files unfiltered than expected: ${unfiltered}"

List<String> differ = unfiltered.findAll { String file ->
    File generated = new File(project, file)
    !generated.isFile() || generated.bytes != new File(resources, file).bytes
}
assert differ.isEmpty() : "setup-generate: not byte-for-byte copies of the archetype's files: ${differ}"
return true
