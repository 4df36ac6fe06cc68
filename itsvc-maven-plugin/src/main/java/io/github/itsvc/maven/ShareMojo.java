package io.github.itsvc.maven;

import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.Sharer;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Shares the branch the project is on for a pull request: pushes it (never forced) to {@code -Ditsvc.remote} (a fork,
 * or the upstream), then prints a {@code git request-pull} style summary: the commits since the merge base with the
 * upstream's branch ({@code -Ditsvc.baseBranch}), and what they change in binaries ({@code itsvc.lock} and
 * {@code service.yaml}'s sources), templates, roles and sites, then the files. Refuses uncommitted changes.
 */
@Mojo(name = "share", threadSafe = true)
public class ShareMojo extends AbstractReleaseMojo {

    /** The branch of the upstream the changes are for. */
    @Parameter(property = PropertyNames.BASE_BRANCH, defaultValue = "main", required = true)
    private String baseBranch;

    /**
     * Where the base branch is, when the branch goes to a fork: a remote's name ({@code upstream}) or a URL; default
     * the remote the branch is pushed to.
     */
    @Parameter(property = PropertyNames.UPSTREAM)
    private String upstream;

    @Inject
    public ShareMojo(RepositorySystem repositorySystem, SettingsDecrypter decrypter) {
        super(repositorySystem, decrypter);
    }

    @Override
    protected void runRelease() throws IOException, MojoFailureException, ReleaseException {
        var request = new Sharer.Request(basedir.toPath(), remote, upstream, baseBranch, definitionDirectory.toPath(),
                lockFile.toPath(), access());
        new Sharer(getLog()::info).share(request).summary().forEach(getLog()::info);
    }
}
