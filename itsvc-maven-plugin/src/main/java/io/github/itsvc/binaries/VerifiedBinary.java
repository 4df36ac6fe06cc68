package io.github.itsvc.binaries;

import java.nio.file.Path;

/**
 * A binary fetched through the cache whose content matched every pin (and signature) it has.
 *
 * @param name the binary's name in {@code service.yaml}
 * @param source its source as written, e.g. {@code maven:org.apache.tomcat:tomcat:tar.gz:11.0.24}
 * @param file the verified content: a read-only entry of the cache, never the download itself
 * @param digests its SHA-256, and its SHA-512 where it was computed (always by {@code pin}; by a download only when
 *     a pin needs it, see {@link Digests})
 * @param signedBy the fingerprint (upper-case hex) of the key whose signature checked out, of the binary or else of
 *     its checksum list; {@code null} when it has neither
 */
public record VerifiedBinary(String name, String source, Path file, Digests digests, String signedBy) {}
