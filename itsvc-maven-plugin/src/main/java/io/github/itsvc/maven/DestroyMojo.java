package io.github.itsvc.maven;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.target.SiteLock;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.eclipse.aether.RepositorySystem;

/**
 * Removes everything itsvc made for the service on the site's target: stops every instance and deletes it. In
 * {@code mvn verify} it tears down the build's deployment after the tests, unless {@code -Ditsvc.keep}.
 */
@Mojo(name = "destroy", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class DestroyMojo extends AbstractTargetMojo {

    @Inject
    public DestroyMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, IOException, MojoFailureException {
        var reader = definitionReader();
        var service = reader.readService();
        var chosen = reader.readSite(site);
        if (inLifecycle() && keep) {
            getLog().info("Keeping site " + chosen.name() + " running (-D" + PropertyNames.KEEP
                    + "); stop it with mvn itsvc:destroy");
            return;
        }
        try (SiteLock lock = lockSite(chosen)) {
            target(service, chosen).destroy();
        } catch (TargetException e) {
            throw new MojoFailureException(e.getMessage());
        }
        getLog().info("Site " + chosen.name() + " destroyed");
    }
}
