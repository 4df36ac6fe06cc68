package io.github.itsvc.model;

/**
 * One thing wrong with the user's input: where, what, and how to fix it.
 *
 * @param location where the problem is
 * @param message what is wrong, in one line
 * @param fix what the user should do about it, in one line
 */
public record Problem(Location location, String message, String fix) {

    @Override
    public String toString() {
        return location + ": " + message + System.lineSeparator() + "    fix: " + fix;
    }
}
