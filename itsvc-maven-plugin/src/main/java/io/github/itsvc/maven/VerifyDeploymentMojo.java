package io.github.itsvc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fails the build if {@code test-deployment} found failing checks, once {@code destroy} has torn the deployment down
 * (as failsafe's {@code verify} does for integration tests).
 */
@Mojo(name = "verify-deployment", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyDeploymentMojo extends AbstractItsvcMojo {

    @Override
    protected void run() throws IOException, MojoFailureException {
        Path file = resultsFile();
        if (!Files.isRegularFile(file)) {
            getLog().info("No deployment test results for site " + site + ": nothing to verify");
            return;
        }
        Properties verdict = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            verdict.load(in);
        }
        long total = Long.parseLong(verdict.getProperty("total", "0"));
        long failed = Long.parseLong(verdict.getProperty("failed", "0"));
        if (failed > 0) {
            throw new MojoFailureException(TestDeploymentMojo.verdict(total, failed,
                    Path.of(verdict.getProperty("report"))));
        }
        getLog().info("All " + total + " deployment checks of site " + site + " passed");
    }
}
