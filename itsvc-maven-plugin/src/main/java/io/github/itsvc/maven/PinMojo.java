package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.model.InvalidInputException;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * Fetches every binary once and writes its SHA-256 and SHA-512 to {@code itsvc.lock}, which is committed and
 * reviewed like code. A pin that exists for an unchanged source is never changed silently: if the publisher's file
 * changed, find out why, then re-pin with {@code -Ditsvc.force}. Run from a terminal: {@code mvn itsvc:pin}.
 */
@Mojo(name = "pin", threadSafe = true)
public class PinMojo extends AbstractBinariesMojo {

    /** Re-pin binaries whose source is unchanged but whose content now differs. */
    @Parameter(property = PropertyNames.FORCE, defaultValue = "false")
    private boolean force;

    @Inject
    public PinMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, BinaryException, IOException, MojoFailureException {
        var reader = definitionReader();
        var service = reader.readService();
        var chosen = reader.readSite(site);
        var existing = Lockfile.read(lockFile.toPath(), lockFileName());
        Lockfile pinned = binaries(chosen).pin(service, existing, force);
        if (pinned.equals(existing)) {
            getLog().info(lockFileName() + " is up to date: every binary is pinned");
            return;
        }
        pinned.write(lockFile.toPath());
        pinned.changesSince(existing).forEach(getLog()::info);
        getLog().info("Wrote " + lockFileName() + ": review the change and commit it");
    }
}
