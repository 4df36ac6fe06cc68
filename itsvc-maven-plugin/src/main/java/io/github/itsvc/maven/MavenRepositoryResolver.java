package io.github.itsvc.maven;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.MavenResolver;
import io.github.itsvc.model.Binary;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * Resolves {@code maven:} binaries the way the build resolves its own dependencies: the project's repositories and
 * the user's settings (mirrors, proxies, credentials, offline mode), into the local repository. No repository URL
 * is ever named here.
 */
final class MavenRepositoryResolver implements MavenResolver {

    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;

    MavenRepositoryResolver(RepositorySystem system, RepositorySystemSession session,
            List<RemoteRepository> repositories) {
        this.system = system;
        this.session = session;
        this.repositories = repositories;
    }

    @Override
    public Path resolve(Binary.MavenSource source) throws BinaryException {
        var artifact = new DefaultArtifact(source.groupId(), source.artifactId(),
                source.classifier() == null ? "" : source.classifier(), source.type(), source.version());
        try {
            ArtifactResult result = system.resolveArtifact(session,
                    new ArtifactRequest(artifact, repositories, "itsvc"));
            return result.getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            // Maven's own message says which repositories were tried and whether the build was offline.
            throw new BinaryException("cannot resolve " + source.describe() + ": " + e.getMessage());
        }
    }
}
