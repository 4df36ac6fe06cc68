package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.check.Endpoints;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.report.Observation;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
import io.github.itsvc.target.SiteLock;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * Brings the site to the state the service defines on its target: verifies the binaries, places the instances (free
 * ports on the local target), renders their configuration, prints the plan (what is created, replaced, deleted or
 * kept, and why), then applies it, starting roles in {@code dependsOn} order. Running it again with nothing changed
 * changes nothing. From a terminal it leaves the site running and prints every endpoint; in {@code mvn verify} the
 * deployment is torn down by {@code destroy} after the tests.
 */
@Mojo(name = "provision", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class ProvisionMojo extends AbstractTargetMojo {

    /** Print the plan and change nothing. */
    @Parameter(property = PropertyNames.DRY_RUN, defaultValue = "false")
    private boolean dryRun;

    @Override
    protected boolean dryRun() {
        return dryRun;
    }

    @Inject
    public ProvisionMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, BinaryException, IOException, MojoFailureException {
        PreparedSite prepared = prepare(definition(), site);
        var service = prepared.service();
        var chosen = prepared.site();
        var verified = prepared.binaries();
        Target target = prepared.target();
        Files.deleteIfExists(resultsFile()); // a verdict belongs to the deployment it tested
        Provisioner.Result result;
        // A dry run changes nothing, so it takes no lock; a real run holds it until it has applied its plan (or torn
        // down what it started).
        try (SiteLock lock = dryRun ? null : lockSite(chosen)) {
            try {
                result = prepared.provision(outputDirectory.toPath(), dryRun, !inLifecycle(), getLog()::info);
            } catch (TargetException e) {
                if (inLifecycle() && !keep) {
                    // post-integration-test will not run: leave nothing behind.
                    getLog().info("Provisioning failed: tearing down what was started (keep it with -D"
                            + PropertyNames.KEEP + ")");
                    destroyQuietly(target);
                }
                throw new MojoFailureException(e.getMessage());
            }
        }
        if (!result.applied()) {
            return;
        }
        writeStatusPage(service, chosen, Observation.provisioned(result, verified));
        List<Instance> running = result.instances().stream().filter(Instance::running).toList();
        getLog().info(result.plan().isNoop() ? "Site " + chosen.name() + " is up to date" :
                "Site " + chosen.name() + " is provisioned");
        for (Instance instance : running) {
            instance.ports().forEach((name, port) -> getLog().info(String.format("  %-14s %-8s %s",
                    instance.name(), name, url(name, instance.address(), port))));
        }
        // The service's own tests (failsafe) and later goals find the endpoints as properties.
        Endpoints.systemProperties(Provisioner.endpoints(running)).forEach(session.getUserProperties()::setProperty);
    }

    private static String url(String portName, String address, int port) {
        return portName.startsWith("http") ? portName.replaceAll("[^a-z].*", "") + "://" + address + ":" + port + "/"
                : address + ":" + port;
    }

    private void destroyQuietly(Target target) {
        try {
            target.destroy();
        } catch (IOException | TargetException e) {
            getLog().warn("Could not tear down everything: " + e.getMessage() + "; run mvn itsvc:destroy");
        }
    }
}
