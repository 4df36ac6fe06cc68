package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.binaries.OpenPgp;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.check.Checks;
import io.github.itsvc.check.Summary;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Site;
import io.github.itsvc.model.Subscription;
import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.Syncer;
import io.github.itsvc.release.Versions;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
import io.github.itsvc.target.TargetException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
    protected void run() throws InvalidInputException, BinaryException, IOException, MojoFailureException {
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
        OpenPgp.TrustedKeys keys = OpenPgp.loadKeys(keyFiles);
        Path stateDir = subscriptionsDirectory.toPath().resolve(service.name()).resolve(chosen.name());
        var request = new Syncer.Request(service.name(), chosen.name(), subscription.upstream(),
                subscription.channel(), Versions.Level.parse(subscription.accept()), keys, stateDir, username(),
                password());
        Syncer.Result result;
        try {
            result = new Syncer(Clock.systemUTC(), getLog()::info).sync(request,
                    (folder, version) -> deploy(folder, stateDir));
        } catch (ReleaseException e) {
            throw failure(e);
        }
        result.lines().forEach(getLog()::info);
        if (result.outcome() == Syncer.Outcome.ROLLED_BACK || result.outcome() == Syncer.Outcome.FAILED) {
            throw new MojoFailureException(result.lines().get(result.lines().size() - 1));
        }
    }

    /** The path mvn verify takes, on a release's files: verify binaries, render, provision, run every check. */
    private Syncer.Deployment deploy(Path folder, Path stateDir) throws IOException {
        Path base = basedir.toPath();
        Path definition = folder.resolve(base.relativize(definitionDirectory.toPath()));
        List<String> lines = new ArrayList<>();
        try {
            var reader = new DefinitionReader(folder, definition);
            var service = reader.readService();
            var releaseSite = reader.readSite(site);
            var verified = binaries(releaseSite, folder, definition).verify(service,
                    Lockfile.read(folder.resolve(base.relativize(lockFile.toPath())), lockFileName()));
            var target = target(service, releaseSite);
            CheckRunner checks = checkRunner(target);
            var renderer = new Renderer(folder, definition.resolve("templates"), getClass().getClassLoader());
            var provisioned = new Provisioner(target, renderer, stateDir.resolve("output"), checks, getLog()::info)
                    .provision(service, releaseSite, verified, false, true);
            List<Instance> running = provisioned.instances().stream().filter(Instance::running).toList();
            List<CheckResult> results = Checks.runAll(checks, Checks.plan(service, Provisioner.endpoints(running)));
            lines.addAll(Summary.lines(results));
            return new Syncer.Deployment(results.stream().noneMatch(CheckResult::failed), lines);
        } catch (InvalidInputException | BinaryException | TargetException | MojoFailureException e) {
            e.getMessage().lines().forEach(lines::add);
            return new Syncer.Deployment(false, lines);
        }
    }
}
