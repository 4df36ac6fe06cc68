package io.github.itsvc.maven;

import io.github.itsvc.release.Promoter;
import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.Versions;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Moves a release on to the next channel: {@code mvn itsvc:promote -Ditsvc.release=1.4.0 -Ditsvc.channel=live}. Only
 * a release the channel before carries or carried, whose tag has not moved, and only forward; the channel's next
 * record is signed when a signing key is configured, and pushed without force.
 */
@Mojo(name = "promote", requiresProject = true, threadSafe = true)
public class PromoteMojo extends AbstractReleaseMojo {

    /** The release to promote, e.g. {@code 1.4.0}. */
    @Parameter(property = PropertyNames.RELEASE, required = true)
    private String release;

    /** The channel to promote it to, e.g. {@code live}. */
    @Parameter(property = PropertyNames.CHANNEL, required = true)
    private String channel;

    @Inject
    public PromoteMojo(RepositorySystem repositorySystem, SettingsDecrypter decrypter) {
        super(repositorySystem, decrypter);
    }

    @Override
    protected void runRelease() throws IOException, MojoFailureException, ReleaseException {
        var request = new Promoter.Request(basedir.toPath(), Versions.releaseVersion(release), channel, channelList(),
                remote, access(), signer(), validity());
        new Promoter(clock(), getLog()::info).promote(request);
    }
}
