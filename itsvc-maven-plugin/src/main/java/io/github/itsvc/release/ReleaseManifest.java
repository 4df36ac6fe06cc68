package io.github.itsvc.release;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a release is, kept in its annotated tag's message under a one-line title: the service, the version, the commit,
 * every binary with its pinned hashes, the template artifacts with their versions, the config digest and the test
 * evidence for that commit.
 *
 * @param binaries binary name to its source and hashes, from {@code itsvc.lock}
 * @param templates template artifacts ({@code groupId:artifactId}) to their versions
 */
public record ReleaseManifest(String service, String version, String commit, SortedMap<String, Map<String, String>> binaries,
        SortedMap<String, String> templates, String configDigest, String tests) {

    public ReleaseManifest {
        binaries = new TreeMap<>(binaries);
        templates = new TreeMap<>(templates);
    }

    /** The tag message: a title git tools show, a blank line, then the manifest as JSON. */
    public String tagMessage() {
        return "Release " + service + " " + version + "\n\n" + new String(Json.bytes(this), StandardCharsets.UTF_8);
    }

    /** Reads the manifest back from a tag message (without its signature). */
    public static ReleaseManifest fromTagMessage(String message, String tag) throws ReleaseException {
        int start = message.indexOf('{');
        int end = message.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new ReleaseException("tag " + tag + " holds no release manifest",
                    "it was not made by itsvc:release; release with mvn itsvc:release");
        }
        return Json.read(message.substring(start, end + 1).getBytes(StandardCharsets.UTF_8), ReleaseManifest.class,
                "the release manifest in tag " + tag);
    }
}
