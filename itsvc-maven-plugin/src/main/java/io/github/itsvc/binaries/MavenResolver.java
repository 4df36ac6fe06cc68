package io.github.itsvc.binaries;

import io.github.itsvc.model.Binary;
import java.nio.file.Path;

/**
 * Resolves {@code maven:} sources through the build's own repositories and settings (mirrors, proxies, credentials,
 * offline mode). Implemented in the Maven glue, so this package never names a repository URL.
 */
public interface MavenResolver {

    /**
     * @return the artifact's file in the local repository
     * @throws BinaryException the artifact cannot be resolved; the message is the resolver's own, which already says
     *     which repositories were tried and whether the build is offline
     */
    Path resolve(Binary.MavenSource source) throws BinaryException;
}
