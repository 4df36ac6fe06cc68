package io.github.itsvc.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What test-deployment proved, for release to check: the site tested, the config digest of the project as tested,
 * and the check totals. Written to {@code target/itsvc/evidence-<site>.json}.
 *
 * @param finished when the checks ended, ISO-8601 UTC
 */
public record Evidence(String site, String configDigest, int total, int passed, int failed, int skipped,
        String finished) {

    public static Path file(Path outputRoot, String site) {
        return outputRoot.resolve("evidence-" + site + ".json");
    }

    public boolean passedAll() {
        return total > 0 && failed == 0 && passed == total;
    }

    /** One line for the manifest and the log. */
    public String summary() {
        return "Checks: " + passed + " passed, " + failed + " failed, " + skipped + " skipped of " + total
                + " on site " + site + " (" + finished + ")";
    }

    public void write(Path file) throws IOException {
        Json.write(file, this);
    }

    /** The evidence, or {@code null} when there is none. */
    public static Evidence read(Path file) throws IOException, ReleaseException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return Json.read(Files.readAllBytes(file), Evidence.class, "test evidence " + file);
    }
}
