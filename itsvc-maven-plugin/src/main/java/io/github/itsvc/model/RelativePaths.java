package io.github.itsvc.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths inside a root (the instance root, the project): '/'-separated, relative, and never leaving the root, so a
 * definition cannot write outside the folder it was given, on any operating system.
 */
final class RelativePaths {

    /** Why a path was refused, and what to write instead. */
    static final class InvalidPathException extends IllegalArgumentException {
        final String fix;

        InvalidPathException(String reason, String fix) {
            super(reason);
            this.fix = fix;
        }
    }

    private RelativePaths() {}

    /**
     * The normalized form of {@code raw}: no {@code .}, no {@code ..}, no empty or trailing segments.
     *
     * @param root the root as messages name it, e.g. "the instance root"
     * @param allowRoot whether the root itself ({@code .}) is allowed; it is returned as {@code "."}
     * @throws InvalidPathException when the path is empty, absolute, uses backslashes or escapes the root
     */
    static String normalize(String raw, String root, boolean allowRoot) {
        if (raw.isBlank()) {
            throw new InvalidPathException("is empty", "write a path relative to " + root + ", like 'opt/app'");
        }
        if (raw.indexOf('\\') >= 0) {
            throw new InvalidPathException("contains a backslash",
                    "separate folders with '/': '" + raw.replace('\\', '/') + "'");
        }
        if (raw.startsWith("/") || raw.matches("[A-Za-z]:.*")) {
            String relative = raw.replaceFirst("^([A-Za-z]:)?/+", "");
            throw new InvalidPathException("is absolute", "write it relative to " + root
                    + (relative.isEmpty() ? "" : ", like '" + relative + "'"));
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidPathException("escapes " + root,
                            "remove the '..': the path must stay inside " + root);
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            if (allowRoot) {
                return ".";
            }
            throw new InvalidPathException("is " + root + " itself, not a file in it",
                    "name a file inside " + root + ", like 'etc/app.conf'");
        }
        return String.join("/", segments);
    }
}
