package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.JUnitReport;
import io.github.itsvc.check.Summary;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Site;
import io.github.itsvc.model.Subscription;
import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.SubscriptionState;
import io.github.itsvc.release.Syncer;
import io.github.itsvc.release.TrustedSigners;
import io.github.itsvc.release.Versions;
import io.github.itsvc.report.Observation;
import io.github.itsvc.report.StatusPages;
import io.github.itsvc.report.StatusRecord;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.SiteLock;
import io.github.itsvc.target.TargetException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Keeps a subscribed site on the newest release its {@code subscribe:} block accepts (from cron or CI:
 * {@code mvn itsvc:sync -Ditsvc.site=live}). Fetches the upstream's channel and tags, refuses anything unsigned or
 * signed by a key the block does not list, an expired channel, a replayed record, a rollback, a change beyond the
 * accepted level and a moved tag — with nothing deployed — and otherwise renders, provisions and tests the release as
 * {@code mvn verify} would; when the tests fail, the previous release is provisioned again. The trusted state (the
 * release running, the last record taken) lives outside the work tree, in {@code ~/.itsvc/subscriptions/}. The
 * subscription itself (upstream, channel, level, keys) is read from this project, never from the upstream.
 */
@Mojo(name = "sync", threadSafe = true)
public class SyncMojo extends AbstractReleaseMojo {

    /** Where subscribed sites keep their trusted state: {@code <dir>/<service>/<site>/}. */
    @Parameter(property = PropertyNames.SUBSCRIPTIONS_DIRECTORY, defaultValue = "${user.home}/.itsvc/subscriptions",
            required = true)
    private File subscriptionsDirectory;

    @Inject
    public SyncMojo(RepositorySystem repositorySystem, SettingsDecrypter decrypter) {
        super(repositorySystem, decrypter);
    }

    @Override
    protected void runRelease() throws InvalidInputException, IOException, MojoFailureException, ReleaseException {
        var reader = definitionReader();
        var service = reader.readService();
        Site chosen = reader.readSite(site);
        Subscription subscription = chosen.subscription();
        if (subscription == null) {
            throw new MojoFailureException(chosen.location() + ": site " + chosen.name() + " subscribes to no channel"
                    + System.lineSeparator() + "    fix: add a block like 'subscribe: { upstream: <url>, channel: live,"
                    + " accept: patch, keys: [keys/release.asc] }' to sites/" + chosen.name() + ".yaml");
        }
        List<Path> keyFiles = subscription.keys().stream().map(k -> definitionDirectory.toPath().resolve(k)).toList();
        TrustedSigners keys = TrustedSigners.load(keyFiles);
        Path stateDir = subscriptionsDirectory.toPath().resolve(service.name()).resolve(chosen.name());
        var request = new Syncer.Request(service.name(), chosen.name(), subscription.upstream(),
                subscription.channel(), Versions.Level.parse(subscription.accept()), keys, stateDir, access());
        Syncer.Result result;
        // One sync or provision of the site at a time: the deploy, a rollback and the trusted state's update included.
        try (SiteLock lock = lockSite(chosen)) {
            result = new Syncer(clock(), getLog()::info).sync(request,
                    (folder, version) -> deploy(folder, stateDir));
        } catch (ReleaseException e) {
            recordSync(stateDir, subscription.channel(), "rejected", e.getMessage().lines().findFirst().orElse(""));
            throw failure(e);
        }
        result.lines().forEach(getLog()::info);
        String last = result.lines().get(result.lines().size() - 1);
        recordSync(stateDir, subscription.channel(), switch (result.outcome()) {
            case UP_TO_DATE -> "up to date";
            case DEPLOYED -> "taken";
            case ROLLED_BACK -> "rolled back";
            case FAILED -> "failed";
        }, last);
        if (result.outcome() == Syncer.Outcome.ROLLED_BACK || result.outcome() == Syncer.Outcome.FAILED) {
            throw new MojoFailureException(last);
        }
    }

    /**
     * Says on the status page what this sync did: a row of the sync history, and the release the site runs from its
     * channel, as the trusted state has it. The page describes the release that runs (its definition), or this
     * project's when none ran here yet.
     */
    private void recordSync(Path stateDir, String channel, String outcome, String why) {
        try {
            writeSync(stateDir, channel, outcome, why);
        } catch (IOException | InvalidInputException e) {
            // What the sync did is in the log; a page that cannot be written must not hide it.
            getLog().warn("Could not write the status page: " + e.getMessage());
        }
    }

    private void writeSync(Path stateDir, String channel, String outcome, String why) throws IOException,
            InvalidInputException {
        String running;
        try {
            running = SubscriptionState.read(stateDir).release();
        } catch (ReleaseException e) {
            running = null; // an unreadable state was reported by the sync itself
        }
        Definition shown = definition();
        if (running != null) {
            Path folder = stateDir.resolve("releases").resolve(running);
            if (Files.isDirectory(folder)) {
                shown = releaseDefinition(folder);
            }
        }
        var reader = new DefinitionReader(shown.projectDir(), shown.definitionDir());
        Lockfile lock = Files.isRegularFile(shown.lockFile()) ? Lockfile.read(shown.lockFile(), lockFileName()) : null;
        var record = new StatusRecord.Sync(Instant.now().truncatedTo(ChronoUnit.SECONDS), channel,
                running == null ? "-" : running, outcome, why);
        for (Path page : statusPages(shown).writeSync(reader.readService(), reader.readSite(site), lock, record,
                running)) {
            getLog().info("Status page: " + shown(page));
        }
    }

    private StatusPages statusPages(Definition definition) {
        return new StatusPages(basedir.toPath(), definition.definitionDir(), outputDirectory.toPath(),
                reportsDirectory.toPath(), getClass().getClassLoader());
    }

    private String shown(Path page) {
        Path absolute = page.toAbsolutePath();
        Path base = basedir.toPath().toAbsolutePath();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString();
    }

    /** A release's files laid out like this project: the definition and lock file at the same relative places. */
    private Definition releaseDefinition(Path folder) {
        Path base = basedir.toPath();
        return new Definition(folder, folder.resolve(base.relativize(definitionDirectory.toPath())),
                folder.resolve(base.relativize(lockFile.toPath())));
    }

    /**
     * The path {@code mvn verify} takes, on a release's files: verify binaries, render, provision (the pieces
     * {@code provision} uses), run every check (as {@code test-deployment} does). The instances are this project's
     * ({@code .itsvc/<site>}); the renderings go beside the trusted state.
     */
    private Syncer.Deployment deploy(Path folder, Path stateDir) throws IOException {
        Definition release = releaseDefinition(folder);
        List<String> lines = new ArrayList<>();
        try {
            PreparedSite prepared = prepare(release, site);
            var provisioned = prepared.provision(stateDir.resolve("output"), false, true, getLog()::info);
            List<Instance> running = provisioned.instances().stream().filter(Instance::running).toList();
            List<CheckResult> results = test(prepared.service(), prepared.target(), prepared.checks(), running);
            lines.addAll(Summary.lines(results));
            // As provision and test-deployment leave them: the JUnit XML and the status page's instances and checks.
            Path report = JUnitReport.write(reportsDirectory.toPath(), "itsvc-" + site, results);
            lines.add("Report: " + shown(report));
            StatusPages pages = statusPages(release);
            Lockfile lock = Lockfile.read(release.lockFile(), lockFileName());
            pages.write(prepared.service(), prepared.site(), lock, Observation.provisioned(provisioned,
                    prepared.binaries()));
            pages.write(prepared.service(), prepared.site(), lock, Observation.tested(running, results));
            for (CheckResult result : results) {
                if (result.failed()) {
                    lines.add("---- " + result.name() + " (" + result.attempts() + " attempts):");
                    result.detail().lines().forEach(lines::add);
                }
            }
            return new Syncer.Deployment(results.stream().noneMatch(CheckResult::failed), lines);
        } catch (InvalidInputException | BinaryException | TargetException | MojoFailureException e) {
            e.getMessage().lines().forEach(lines::add);
            return new Syncer.Deployment(false, lines);
        }
    }
}
