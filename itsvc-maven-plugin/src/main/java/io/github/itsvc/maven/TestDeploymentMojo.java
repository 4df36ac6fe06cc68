package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.JUnitReport;
import io.github.itsvc.check.Summary;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.release.Evidence;
import io.github.itsvc.report.Observation;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.eclipse.aether.RepositorySystem;

/**
 * Tests the running deployment with the checks of {@code service.yaml} ({@code http}, {@code tcp}, {@code command}),
 * each retried until healthy within its {@code within}. Writes JUnit XML to {@code target/itsvc-reports/} (read by
 * Jenkins, GitLab and the like) and a one-screen summary to the log; a failed check shows the last response or error
 * and the tail of the instance's log. In {@code mvn verify} a failure fails the build after {@code destroy} has torn
 * the deployment down (in {@code verify-deployment}, like failsafe); from a terminal it fails at once.
 */
@Mojo(name = "test-deployment", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true)
public class TestDeploymentMojo extends AbstractTargetMojo {

    @Inject
    public TestDeploymentMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, BinaryException, IOException, MojoFailureException {
        var reader = definitionReader();
        var service = reader.readService();
        var chosen = reader.readSite(site);
        Target target = target(service, chosen);
        List<Instance> instances;
        try {
            instances = target.discover();
        } catch (TargetException e) {
            throw new MojoFailureException(e.getMessage());
        }
        List<Instance> running = instances.stream().filter(Instance::running).toList();
        if (running.isEmpty()) {
            throw new MojoFailureException("nothing of " + service.name() + " runs on site " + chosen.name()
                    + ": run mvn itsvc:provision" + (chosen.name().equals(PropertyNames.DEFAULT_SITE) ? ""
                            : " -D" + PropertyNames.SITE + "=" + chosen.name()) + " first");
        }
        List<CheckResult> results = test(service, target, checkRunner(target), running);
        Path report = JUnitReport.write(reportsDirectory.toPath(), "itsvc-" + chosen.name(), results);
        for (String line : Summary.lines(results)) {
            if (line.startsWith("FAIL")) {
                getLog().error(line);
            } else {
                getLog().info(line);
            }
        }
        // What a person needs to fix a failure: the last response or error, and the tail of the instance's log.
        for (CheckResult result : results) {
            if (result.failed()) {
                getLog().error("---- " + result.name() + " (" + result.attempts() + " attempts):");
                result.detail().lines().forEach(getLog()::error);
            }
        }
        getLog().info("Report: " + basedir.toPath().relativize(report.toAbsolutePath()));
        writeStatusPage(service, chosen, Observation.tested(instances, results));

        long failed = results.stream().filter(CheckResult::failed).count();
        writeVerdict(results.size(), failed, report);
        writeEvidence(chosen.name(), results);
        if (failed > 0 && !inLifecycle()) {
            throw new MojoFailureException(verdict(results.size(), failed, report));
        }
    }

    /** Left for verify-deployment, which fails the build after destroy has run. */
    private void writeVerdict(int total, long failed, Path report) throws IOException {
        Properties verdict = new Properties();
        verdict.setProperty("total", Integer.toString(total));
        verdict.setProperty("failed", Long.toString(failed));
        verdict.setProperty("report", report.toAbsolutePath().toString());
        Path file = resultsFile();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            verdict.store(out, "test-deployment's verdict for verify-deployment");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What release checks: the config digest tested and the totals, in {@code target/itsvc/evidence-<site>.json}. */
    private void writeEvidence(String siteName, List<CheckResult> results) throws IOException {
        int passed = (int) results.stream().filter(CheckResult::passed).count();
        int failed = (int) results.stream().filter(CheckResult::failed).count();
        new Evidence(siteName, configDigest(), results.size(), passed, failed, results.size() - passed - failed,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .write(Evidence.file(outputDirectory.toPath(), siteName));
    }

    static String verdict(long total, long failed, Path report) {
        return failed + " of " + total + " deployment check" + (total == 1 ? "" : "s") + " failed: see the summary"
                + " above and " + report.toAbsolutePath();
    }
}
