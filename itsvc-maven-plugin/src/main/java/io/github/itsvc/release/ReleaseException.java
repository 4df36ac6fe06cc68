package io.github.itsvc.release;

/**
 * A release, promotion or sync refused or failed: what, where, and a {@code fix:} line. Complete on its own, so
 * callers print it without a stack trace. Nothing was deployed, and no tag or channel record was left behind.
 */
public class ReleaseException extends Exception {

    public ReleaseException(String what, String fix) {
        super(fix == null ? what : what + System.lineSeparator() + "    fix: " + fix);
    }

    public ReleaseException(String what, String fix, Throwable cause) {
        super(fix == null ? what : what + System.lineSeparator() + "    fix: " + fix, cause);
    }
}
