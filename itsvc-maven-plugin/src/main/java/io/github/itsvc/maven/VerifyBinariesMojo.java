package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.InvalidInputException;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.eclipse.aether.RepositorySystem;

/**
 * Fetches every binary of the service through the content-addressed cache and verifies it: the pinned SHA-256 or
 * SHA-512 (from {@code service.yaml} or {@code itsvc.lock}), and the OpenPGP signature or signed checksum list where
 * the service gives one. Anything that does not match fails the build, naming the binary, its source, and the
 * expected and actual hashes; nothing unverified enters the cache. A warm cache needs no network.
 */
@Mojo(name = "verify-binaries", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class VerifyBinariesMojo extends AbstractBinariesMojo {

    @Inject
    public VerifyBinariesMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, BinaryException, IOException, MojoFailureException {
        var reader = definitionReader();
        var service = reader.readService();
        var chosen = reader.readSite(site);
        var lock = Lockfile.read(lockFile.toPath(), lockFileName());
        for (VerifiedBinary binary : binaries(chosen).verify(service, lock)) {
            getLog().info("Verified " + binary.name() + " (" + binary.source() + "): sha256 "
                    + binary.digests().sha256()
                    + (binary.signedBy() == null ? "" : ", signed by " + binary.signedBy()));
        }
    }
}
