package io.github.itsvc.model;

/**
 * Where something was written: a file (as the user should see it, usually relative to the project) and a 1-based
 * line and column. Printed as {@code file:line:column}, the form terminals and IDEs turn into links.
 */
public record Location(String file, int line, int column) {

    /** A location for a whole file, when no better position is known. */
    public static Location of(String file) {
        return new Location(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
