package io.github.itsvc.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A binary a role installs, fetched from its publisher, never kept in git.
 *
 * @param name the key under {@code binaries:}
 * @param source where it comes from: exactly one of {@code maven:}, {@code url:}, {@code file:}
 * @param hashes pinned digests by algorithm ({@code sha256}, {@code sha512}), lower-case hex; may be empty until pinned
 * @param signature an OpenPGP detached signature to check, or {@code null}
 * @param checksums a publisher's signed checksum list that pins the binary, or {@code null}
 * @param location where the binary is defined
 */
public record Binary(String name, Source source, Map<String, String> hashes, Signature signature, Checksums checksums,
        Location location) {

    public Binary {
        hashes = Collections.unmodifiableMap(new TreeMap<>(hashes));
    }

    /**
     * The binary's file name, as publishers list it in checksum files and messages name it: the source's
     * {@link Source#fileName()}, or the binary's own name when the source has none (a URL ending in '/').
     */
    public String fileName() {
        String fileName = source == null ? null : source.fileName();
        return fileName == null ? name : fileName;
    }

    /** Where a binary comes from. */
    public sealed interface Source permits MavenSource, UrlSource, FileSource {
        /** The source as written by the user, e.g. {@code maven:org.apache.tomcat:tomcat:tar.gz:11.0.24}. */
        String describe();

        /** The file name the source gives the binary, or {@code null} when it gives none. */
        String fileName();
    }

    /** {@code maven: group:artifact:type[:classifier]:version}, resolved through the build's own repositories. */
    public record MavenSource(String groupId, String artifactId, String type, String classifier, String version)
            implements Source {
        @Override
        public String describe() {
            return "maven:" + groupId + ":" + artifactId + ":" + type + (classifier == null ? "" : ":" + classifier)
                    + ":" + version;
        }

        /** The name in a Maven repository: {@code artifactId-version[-classifier].type} (tar.gz stays tar.gz). */
        @Override
        public String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        }
    }

    /** {@code url: https://...}. */
    public record UrlSource(String url) implements Source {
        @Override
        public String describe() {
            return url;
        }

        /** The last segment of the URL's path, percent-decoded; {@code null} for a path that is empty or ends in '/'. */
        @Override
        public String fileName() {
            String path;
            try {
                path = new URI(url).getPath();
            } catch (URISyntaxException e) {
                return null;
            }
            if (path == null || path.isEmpty() || path.endsWith("/")) {
                return null;
            }
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** {@code file: path}, relative to the project directory. */
    public record FileSource(String path) implements Source {
        @Override
        public String describe() {
            return "file:" + path;
        }

        @Override
        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /**
     * {@code signature: { url|file: ..., keys: keys/x.asc }}.
     *
     * @param source the detached signature's location (a URL or a project-relative file)
     * @param keys the trusted key file, relative to {@code src/main/itsvc}
     */
    public record Signature(Source source, String keys) {}

    /**
     * {@code checksums: { url|file: .../SHA256SUMS, signature: {...}, name: ... }}: the publisher's list of digests,
     * whose entry for this binary becomes a pin once the list's signature checks out. An unsigned list pins nothing,
     * so the signature is required.
     *
     * @param source where the list is (a URL or a project-relative file)
     * @param signature the list's detached signature
     * @param name the binary's entry in the list; the binder defaults it to the binary's {@link #fileName()}
     */
    public record Checksums(Source source, Signature signature, String name) {}
}
