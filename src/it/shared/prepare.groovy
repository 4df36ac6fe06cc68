// Pre-build of a service IT, evaluated by the IT's own prebuild.groovy (basedir: the IT's directory):
// <it>/svc = the service that setup-generate made from the archetype, with <it>/overlay/** laid over it.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

File itDir = basedir
File setup = new File(itDir.parentFile, 'setup-generate')
File generated = setup.listFiles()?.find { File dir -> new File(dir, 'pom.xml').isFile() }
if (generated == null) {
    throw new IllegalStateException("No generated service in ${setup}: the setup project did not run. Run this IT"
            + " together with it: -Dinvoker.test=setup-*,${itDir.name}")
}

File svc = new File(itDir, 'svc')
svc.deleteDir()
copyTree(generated.toPath(), svc.toPath())

File overlay = new File(itDir, 'overlay')
if (overlay.isDirectory()) {
    copyTree(overlay.toPath(), svc.toPath()).each { String file -> println "overlay: ${file}" }
}
return true

/** Copies every file under from to the same place under to (replacing), and returns their relative paths. */
static List<String> copyTree(Path from, Path to) {
    List<String> copied = []
    Files.walk(from).withCloseable { paths ->
        paths.filter { Path p -> Files.isRegularFile(p) }.sorted().forEach { Path file ->
            String relative = from.relativize(file).toString()
            Path target = to.resolve(relative)
            Files.createDirectories(target.parent)
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING)
            copied << relative
        }
    }
    return copied
}
