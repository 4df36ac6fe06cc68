package io.github.itsvc.model;

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
 * @param location where the binary is defined
 */
public record Binary(String name, Source source, Map<String, String> hashes, Signature signature, Location location) {

    public Binary {
        hashes = Collections.unmodifiableMap(new TreeMap<>(hashes));
    }

    /** Where a binary comes from. */
    public sealed interface Source permits MavenSource, UrlSource, FileSource {
        /** The source as written by the user, e.g. {@code maven:org.apache.tomcat:tomcat:tar.gz:11.0.24}. */
        String describe();
    }

    /** {@code maven: group:artifact:type[:classifier]:version}, resolved through the build's own repositories. */
    public record MavenSource(String groupId, String artifactId, String type, String classifier, String version)
            implements Source {
        @Override
        public String describe() {
            return "maven:" + groupId + ":" + artifactId + ":" + type + (classifier == null ? "" : ":" + classifier)
                    + ":" + version;
        }
    }

    /** {@code url: https://...}. */
    public record UrlSource(String url) implements Source {
        @Override
        public String describe() {
            return url;
        }
    }

    /** {@code file: path}, relative to the project directory. */
    public record FileSource(String path) implements Source {
        @Override
        public String describe() {
            return "file:" + path;
        }
    }

    /**
     * {@code signature: { url|file: ..., keys: keys/x.asc }}.
     *
     * @param source the detached signature's location (a URL or a project-relative file)
     * @param keys the trusted key file, relative to {@code src/main/itsvc}
     */
    public record Signature(Source source, String keys) {}
}
