// Runs after the archetype generated a project, in batch mode (-B) too, where the archetype plugin does not check
// a required property's validationRegex: a service name itsvc would reject later fails the generation now, and
// leaves nothing behind. The rule is the one in archetype-metadata.xml, read from this archetype's jar.
def metadata = Thread.currentThread().contextClassLoader.getResource('META-INF/maven/archetype-metadata.xml')
def regex = new groovy.xml.XmlSlurper().parse(metadata.toString())
        .requiredProperties.requiredProperty.find { it.@key == 'serviceName' }.validationRegex.text()
if (!(serviceName ==~ regex)) {
    new File(request.outputDirectory, request.artifactId).deleteDir()
    def suggestion = serviceName.toLowerCase().replaceAll(/[^a-z0-9-]+/, '-').replaceAll(/^[^a-z]+/, '') ?: 'my-service'
    throw new IllegalArgumentException("serviceName '" + serviceName + "' is not a valid service name\n"
            + "    fix: use lower-case letters, digits and dashes, starting with a letter (" + regex + "), for example"
            + " -DserviceName=" + suggestion)
}
