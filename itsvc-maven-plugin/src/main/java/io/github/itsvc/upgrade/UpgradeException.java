package io.github.itsvc.upgrade;

/**
 * An upgrade refused or failed before it changed the project: what, where, and a {@code fix:} line. Complete on its
 * own, so callers print it without a stack trace.
 */
public class UpgradeException extends Exception {

    public UpgradeException(String what, String fix) {
        super(fix == null ? what : what + System.lineSeparator() + "    fix: " + fix);
    }

    public UpgradeException(String what, String fix, Throwable cause) {
        super(fix == null ? what : what + System.lineSeparator() + "    fix: " + fix, cause);
    }
}
