package io.github.itsvc.target.local;

import java.time.Instant;
import java.util.Optional;

/**
 * Tells a process from a later one that reuses its pid. A pid alone is not an identity: after a crash or a reboot
 * the number may belong to anyone.
 *
 * @param instant the process start from {@link ProcessHandle.Info#startInstant()}, or {@code null} if unknown
 * @param linux on Linux, {@code <boot id>/<start time in clock ticks>} from {@code /proc}, else {@code null}
 */
public record StartMarker(Instant instant, String linux) {

    /** The marker of a live process, or empty if it has already gone. */
    public static Optional<StartMarker> of(ProcessHandle process) {
        Instant instant = process.info().startInstant().orElse(null);
        String linux = Procs.linuxMarker(process.pid()).orElse(null);
        // Re-check after reading /proc: the handle knows its own start time, so a pid reused meanwhile shows as dead.
        if ((instant == null && linux == null) || !Procs.alive(process)) {
            return Optional.empty();
        }
        return Optional.of(new StartMarker(instant, linux));
    }

    /**
     * Whether {@code process} is alive and is the very process this marker was taken from. The Linux marker decides
     * when both sides have it (it is exact); otherwise the start instants must be equal. No marker matches nothing.
     */
    public boolean matches(ProcessHandle process) {
        if (!Procs.alive(process)) {
            return false;
        }
        if (linux != null) {
            Optional<String> now = Procs.linuxMarker(process.pid());
            if (now.isPresent()) {
                return now.get().equals(linux);
            }
        }
        if (instant != null) {
            return process.info().startInstant().map(instant::equals).orElse(false);
        }
        return false;
    }
}
