package io.github.itsvc.model;

/**
 * Where something was written: a file (as the user should see it, usually relative to the project) and a 1-based
 * line and column. Printed as {@code file:line:column}, the form terminals and IDEs turn into links. A line of 0
 * means no position inside the file is known (a missing file, a directory): it prints as the file alone.
 */
public record Location(String file, int line, int column) {

    /** A location for a whole file, when no better position is known. */
    public static Location of(String file) {
        return new Location(file, 1, 1);
    }

    /** A location naming only a file or directory, e.g. one that does not exist (printed without line:column). */
    public static Location fileOnly(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }
}
