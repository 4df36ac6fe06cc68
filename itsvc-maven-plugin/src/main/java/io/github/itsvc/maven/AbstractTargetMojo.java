package io.github.itsvc.maven;

import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.report.Observation;
import io.github.itsvc.report.StatusPages;
import io.github.itsvc.target.SiteLock;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import io.github.itsvc.target.local.LocalTarget;
import io.github.itsvc.target.openstack.Cloud;
import io.github.itsvc.target.openstack.CloudConfig;
import io.github.itsvc.target.openstack.CloudsYaml;
import io.github.itsvc.target.openstack.OpenStackTarget;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.maven.settings.Server;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/** What the goals that work on a site's instances share: the target, and whether the build owns the deployment. */
abstract class AbstractTargetMojo extends AbstractBinariesMojo {

    /**
     * Where the local target keeps its instances ({@code <dir>/<site>/<role>-<n>/}): outside {@code target/}, so
     * {@code mvn clean} cannot orphan a running process. Ignored by git.
     */
    @Parameter(property = PropertyNames.INSTANCES_DIRECTORY, defaultValue = "${project.basedir}/.itsvc",
            required = true)
    protected File instancesDirectory;

    /** Keep the deployment of {@code mvn verify} running after the build (it is torn down by default). */
    @Parameter(property = PropertyNames.KEEP, defaultValue = "false")
    protected boolean keep;

    /** Where test-deployment writes its JUnit XML reports, which the status page shows. */
    @Parameter(property = PropertyNames.REPORTS_DIRECTORY, defaultValue = "${project.build.directory}/itsvc-reports",
            required = true)
    protected File reportsDirectory;

    /** openstack: how replaced instances go: {@code rolling} (one at a time) or {@code recreate} (all at once). */
    @Parameter(property = PropertyNames.STRATEGY, defaultValue = "rolling", required = true)
    protected String strategy;

    /** openstack: the whole run's budget on the cloud; no call is started or retried after it. */
    @Parameter(property = PropertyNames.CLOUD_TIMEOUT, defaultValue = "20m", required = true)
    protected String cloudTimeout;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected MojoExecution mojoExecution;

    protected AbstractTargetMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    /** The site's target. */
    protected Target target(Service service, Site chosen) throws MojoFailureException {
        return switch (chosen.target()) {
            case "local" -> new LocalTarget(service, siteInstances(chosen), getLog()::info);
            case "openstack" -> openstack(service, chosen);
            default -> throw new MojoFailureException("site " + chosen.name() + " has target '" + chosen.target()
                    + "', which this version of itsvc cannot provision yet: only 'local' is built. Render it with"
                    + " mvn itsvc:render-config -D" + PropertyNames.SITE + "=" + chosen.name());
        };
    }

    /** Whether this goal only plans (provision's dry run): then the target makes nothing at all. */
    protected boolean dryRun() {
        return false;
    }

    private Target openstack(Service service, Site chosen) throws MojoFailureException {
        OpenStackTarget.Strategy how;
        try {
            how = OpenStackTarget.Strategy.valueOf(strategy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("-D" + PropertyNames.STRATEGY + "=" + strategy + " is not a strategy"
                    + System.lineSeparator() + "    fix: use rolling (one at a time, the default) or recreate (all at"
                    + " once)");
        }
        Duration timeout = MojoDurations.parse(PropertyNames.CLOUD_TIMEOUT, cloudTimeout);
        OpenStackTarget.Options options = new OpenStackTarget.Options(dryRun(), how, timeout, Duration.ofSeconds(1));
        return new OpenStackTarget(service, chosen, siteInstances(chosen), () -> Cloud.connect(cloud(chosen),
                timeout), options, getLog()::info);
    }

    /** The site's cloud from clouds.yaml or OS_*; a settings.xml {@code <server>} with the cloud's id has the password. */
    private CloudConfig cloud(Site chosen) throws TargetException {
        CloudConfig config = new CloudsYaml(basedir.toPath(), Path.of(System.getProperty("user.home")), System.getenv())
                .find(chosen.cloud());
        Server server = session.getSettings().getServer(chosen.cloud());
        if (server != null && server.getPassword() != null && !config.usesApplicationCredential()) {
            config = config.withPassword(server.getPassword(), config.source() + ", password from settings.xml"
                    + " <server> " + chosen.cloud());
        }
        return config;
    }

    /** The check runner for a site's instances: command checks run where the target keeps each instance. */
    protected static CheckRunner checkRunner(Target target) {
        return CheckRunner.builder().workingDirectory(endpoint -> target.checkDirectory(endpoint.instance())).build();
    }

    /**
     * Takes the site's lock for this goal's run, so that two runs cannot change one site at once; fails at once,
     * naming the run that holds it.
     */
    protected SiteLock lockSite(Site chosen) throws MojoFailureException, IOException {
        try {
            return SiteLock.acquire(siteInstances(chosen), chosen.name(), "mvn itsvc:" + (mojoExecution == null ? "provision"
                    : mojoExecution.getGoal()));
        } catch (TargetException e) {
            throw new MojoFailureException(e.getMessage());
        }
    }

    protected Path siteInstances(Site chosen) {
        return instancesDirectory.toPath().resolve(chosen.name());
    }

    /**
     * Whether this goal runs as part of the build's lifecycle ({@code mvn verify}), where the deployment is
     * ephemeral, rather than from a terminal ({@code mvn itsvc:provision}).
     */
    protected boolean inLifecycle() {
        return mojoExecution.getLifecyclePhase() != null;
    }

    /**
     * Writes the site's status page ({@code target/itsvc/status/index.html}, and where the site's {@code statusPage}
     * says) from what this goal observed and what earlier goals recorded.
     */
    protected void writeStatusPage(Service service, Site chosen, Observation observation)
            throws IOException, InvalidInputException {
        Lockfile lock = Lockfile.read(lockFile.toPath(), lockFileName());
        StatusPages pages = new StatusPages(basedir.toPath(), definitionDirectory.toPath(), outputDirectory.toPath(),
                reportsDirectory.toPath(), getClass().getClassLoader());
        for (Path page : pages.write(service, chosen, lock, observation)) {
            Path absolute = page.toAbsolutePath();
            getLog().info("Status page: " + (absolute.startsWith(basedir.toPath().toAbsolutePath())
                    ? basedir.toPath().toAbsolutePath().relativize(absolute) : absolute));
        }
    }
}
