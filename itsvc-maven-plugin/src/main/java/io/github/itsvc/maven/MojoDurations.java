package io.github.itsvc.maven;

import io.github.itsvc.model.Durations;
import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;

/** Duration parameters ({@code -Ditsvc.httpTimeout=30s}) in the same syntax as service.yaml. */
final class MojoDurations {

    private MojoDurations() {}

    static Duration parse(String property, String value) throws MojoFailureException {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("-D" + property + "=" + value + ": " + e.getMessage()
                    + " (write e.g. 30s, 2m)");
        }
    }
}
