package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.release.Evidence;
import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.Releaser;
import io.github.itsvc.release.Versions;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarFile;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Releases the commit the project is on: refuses a work tree with uncommitted changes, a commit whose configuration
 * test-deployment has not passed (same config digest), and a version already tagged here or upstream — all before
 * writing anything. Then tags {@code v<version>} (annotated, its message the release manifest: binaries with hashes,
 * template artifacts, config digest, test evidence; signed when a signing key is configured), publishes it on the
 * first channel, and pushes both together. A failed push leaves no tag behind. {@code 1.4.0-SNAPSHOT} releases as
 * {@code 1.4.0}. The {@code itsvc} packaging binds it to {@code deploy}, after the bundle is deployed: {@code mvn deploy}
 * tests the commit ({@code verify}) and releases it.
 */
@Mojo(name = "release", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class ReleaseMojo extends AbstractReleaseMojo {

    /** The version to release; default the project's version without {@code -SNAPSHOT}. */
    @Parameter(property = PropertyNames.RELEASE)
    private String release;

    @Inject
    public ReleaseMojo(RepositorySystem repositorySystem, SettingsDecrypter decrypter) {
        super(repositorySystem, decrypter);
    }

    @Override
    protected void runRelease() throws InvalidInputException, BinaryException, IOException, MojoFailureException,
            ReleaseException {
        var service = definitionReader().readService();
        Lockfile lock = Lockfile.read(lockFile.toPath(), lockFileName());
        SortedMap<String, Map<String, String>> binaries = new TreeMap<>();
        lock.entries().forEach((name, entry) -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("source", entry.source());
            fields.putAll(entry.hashes());
            binaries.put(name, fields);
        });
        String version = Versions.releaseVersion(release != null ? release : project.getVersion());
        Evidence evidence = Evidence.read(Evidence.file(outputDirectory.toPath(), site));
        var request = new Releaser.Request(basedir.toPath(), service.name(), version, site, evidence, configDigest(),
                binaries, templateArtifacts(), remote, access(), signer(), channelList().get(0), validity());
        new Releaser(clock(), getLog()::info).release(request);
    }

    /** The jars among this plugin's dependencies that hold templates ({@code itsvc/**.ftl}), with their versions. */
    private SortedMap<String, String> templateArtifacts() throws IOException {
        SortedMap<String, String> templates = new TreeMap<>();
        for (Artifact artifact : mojoExecution.getMojoDescriptor().getPluginDescriptor().getArtifacts()) {
            File file = artifact.getFile();
            if (file == null || !file.getName().endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(file)) {
                if (jar.stream().anyMatch(e -> e.getName().startsWith("itsvc/") && e.getName().endsWith(".ftl"))) {
                    templates.put(artifact.getGroupId() + ":" + artifact.getArtifactId(), artifact.getVersion());
                }
            }
        }
        return templates;
    }
}
