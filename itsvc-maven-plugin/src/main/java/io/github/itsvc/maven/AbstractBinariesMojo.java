package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryCache;
import io.github.itsvc.binaries.Binaries;
import io.github.itsvc.binaries.Progress;
import io.github.itsvc.model.Site;
import java.io.File;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/** What the goals that fetch binaries share: the cache, the lock file, and Maven's repositories and settings. */
abstract class AbstractBinariesMojo extends AbstractItsvcMojo {

    /** The content-addressed binary cache, shared by every service of this user. */
    @Parameter(property = PropertyNames.CACHE, defaultValue = "${user.home}/.itsvc/cache", required = true)
    protected File cache;

    /** The lock file pinning every binary's hashes, written by {@code itsvc:pin} and reviewed like code. */
    @Parameter(property = PropertyNames.LOCK_FILE, defaultValue = "${project.basedir}/itsvc.lock", required = true)
    protected File lockFile;

    /** How long to wait for a publisher to accept a connection, e.g. {@code 30s}. */
    @Parameter(property = PropertyNames.CONNECT_TIMEOUT, defaultValue = "30s", required = true)
    protected String connectTimeout;

    /** How long to wait for a publisher's answer, and for the next bytes of a download. */
    @Parameter(property = PropertyNames.READ_TIMEOUT, defaultValue = "60s", required = true)
    protected String readTimeout;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    private final RepositorySystem repositorySystem;

    /** Decrypts the proxy's password of settings.xml (a field, so the goals' constructors stay as they are). */
    @Inject
    private SettingsDecrypter settingsDecrypter;

    protected AbstractBinariesMojo(RepositorySystem repositorySystem) {
        this.repositorySystem = repositorySystem;
    }

    /** The core, wired to this build: offline mode, repositories, progress in the log unless -B or -q. */
    protected Binaries binaries(Site chosen) throws org.apache.maven.plugin.MojoFailureException {
        return binaries(chosen, basedir.toPath(), definitionDirectory.toPath());
    }

    /** {@link #binaries(Site)} for a definition elsewhere (a release sync deploys). */
    protected Binaries binaries(Site chosen, java.nio.file.Path base, java.nio.file.Path definition)
            throws org.apache.maven.plugin.MojoFailureException {
        boolean showProgress = session.getRequest().isInteractiveMode() && getLog().isInfoEnabled();
        Progress progress = showProgress ? getLog()::info : Progress.NONE;
        var maven = new MavenRepositoryResolver(repositorySystem, session.getRepositorySession(),
                project.getRemoteProjectRepositories());
        return new Binaries(new Binaries.Options(base, definition,
                new BinaryCache(cache.toPath()), maven, SettingsProxySelector.from(session.getSettings()),
                SettingsProxySelector.credentials(session.getSettings(), settingsDecrypter), session.isOffline(), chosen.allowHttp(), progress,
                MojoDurations.parse(PropertyNames.CONNECT_TIMEOUT, connectTimeout),
                MojoDurations.parse(PropertyNames.READ_TIMEOUT, readTimeout)));
    }

    /**
     * The config digest of the project as it is: its definition, lock file and POM. test-deployment records it,
     * release checks it.
     */
    protected String configDigest() throws java.io.IOException {
        java.nio.file.Path base = basedir.toPath();
        java.nio.file.Path pom = project.getFile() == null ? base.resolve("pom.xml") : project.getFile().toPath();
        return io.github.itsvc.release.ConfigDigest.of(base, java.util.List.of(pom, lockFile.toPath(),
                definitionDirectory.toPath()));
    }

    /** The lock file's name as the user sees it. */
    protected String lockFileName() {
        return basedir.toPath().relativize(lockFile.toPath().toAbsolutePath()).toString().replace('\\', '/');
    }
}
