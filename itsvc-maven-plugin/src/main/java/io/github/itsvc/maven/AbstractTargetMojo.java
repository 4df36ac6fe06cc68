package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.check.Checks;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.report.Observation;
import io.github.itsvc.report.StatusPages;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
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

    /**
     * A service definition on disk: the project's own, or the files of a release that sync deploys.
     *
     * @param projectDir where relative paths (binaries on disk, messages) start
     * @param definitionDir {@code service.yaml}, {@code sites/}, {@code templates/}, {@code keys/}
     * @param lockFile the pinned hashes
     */
    protected record Definition(Path projectDir, Path definitionDir, Path lockFile) {}

    /** A site ready to provision: read, its binaries verified, its target, check runner and renderer made. */
    protected record PreparedSite(Service service, Site site, List<VerifiedBinary> binaries, Target target,
            CheckRunner checks, Renderer renderer) {

        /** Renders and provisions the site (what {@code provision} does, and sync on a release's files). */
        public Provisioner.Result provision(Path output, boolean dryRun, boolean awaitAll,
                java.util.function.Consumer<String> log) throws InvalidInputException, IOException, TargetException {
            return new Provisioner(target, renderer, output, checks, log).provision(service, site, binaries, dryRun,
                    awaitAll);
        }
    }

    /** This project's own definition. */
    protected Definition definition() {
        return new Definition(basedir.toPath(), definitionDirectory.toPath(), lockFile.toPath());
    }

    /**
     * Reads a site of a definition and verifies its binaries: the first half of the path {@code mvn verify} takes,
     * which {@code provision} and sync share.
     */
    protected PreparedSite prepare(Definition definition, String siteName) throws InvalidInputException,
            BinaryException, IOException, MojoFailureException {
        var reader = new DefinitionReader(definition.projectDir(), definition.definitionDir());
        Service service = reader.readService();
        Site chosen = reader.readSite(siteName);
        var verified = binaries(chosen, definition.projectDir(), definition.definitionDir()).verify(service,
                Lockfile.read(definition.lockFile(), definition.projectDir().relativize(definition.lockFile())
                        .toString().replace('\\', '/')));
        Target target = target(service, chosen);
        // Built before provisioning: its HTTP client warms up while instances start.
        CheckRunner checks = checkRunner(target);
        var renderer = new Renderer(definition.projectDir(), definition.definitionDir().resolve("templates"),
                getClass().getClassLoader());
        return new PreparedSite(service, chosen, verified, target, checks, renderer);
    }

    /**
     * Runs every check of the service on the running instances (what {@code test-deployment} does, and sync after it
     * provisioned a release); a failed check carries the tail of its instance's log.
     */
    protected static List<CheckResult> test(Service service, Target target, CheckRunner runner,
            List<Instance> running) throws IOException {
        List<CheckResult> results = new ArrayList<>();
        for (CheckResult result : Checks.runAll(runner, Checks.plan(service, Provisioner.endpoints(running)))) {
            results.add(result.failed() ? withLogTail(result, target, running) : result);
        }
        return results;
    }

    private static CheckResult withLogTail(CheckResult result, Target target, List<Instance> running)
            throws IOException {
        Instance instance = running.stream().filter(i -> i.name().equals(result.instance())).findFirst().orElse(null);
        String tail = instance == null ? "" : target.logTail(instance, 20);
        if (tail.isEmpty()) {
            return result;
        }
        return new CheckResult(result.role(), result.instance(), result.name(), result.outcome(), result.attempts(),
                result.started(), result.duration(), result.detail() + "\n" + tail, result.location());
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
