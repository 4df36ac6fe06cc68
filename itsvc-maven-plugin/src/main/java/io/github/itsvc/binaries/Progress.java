package io.github.itsvc.binaries;

/** Where transfer progress lines go: Maven's log, or nowhere under {@code -q}/{@code -B}. */
@FunctionalInterface
public interface Progress {

    /** Drops every line. */
    Progress NONE = message -> {};

    void line(String message);
}
