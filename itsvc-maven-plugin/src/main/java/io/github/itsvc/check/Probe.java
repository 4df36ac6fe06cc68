package io.github.itsvc.check;

import java.time.Duration;

/** One attempt of a check, of one kind. */
interface Probe {

    /**
     * Tries once. Never throws for an unhealthy service: that is a failed {@link Attempt}.
     *
     * @param timeout how long this attempt may take in all
     */
    Attempt attempt(Duration timeout) throws InterruptedException;

    /** @param detail the reason on the first line, then what was seen; see {@link CheckResult#detail} */
    record Attempt(boolean passed, String detail) {
        static Attempt pass(String note) {
            return new Attempt(true, note);
        }

        static Attempt fail(String detail) {
            return new Attempt(false, detail);
        }
    }
}
