package io.github.itsvc.target;

/**
 * One line of a plan.
 *
 * @param action what happens to the instance
 * @param instance its name, {@code <role>-<index>}
 * @param role its role's name
 * @param desired what it should be ({@code null} for deletions)
 * @param actual what it is ({@code null} for creations)
 * @param reason why, in words
 */
public record Change(Action action, String instance, String role, DesiredInstance desired, Instance actual,
        String reason) {

    public enum Action {
        /** Does not exist: make it. */
        CREATE,
        /** Exists with another configuration, or has stopped: make it anew. */
        REPLACE,
        /** Not wanted any more: remove it. */
        DELETE,
        /** Runs what is wanted: leave it alone. */
        KEEP
    }

    @Override
    public String toString() {
        return String.format("%-7s %-16s %s", action.name().toLowerCase(java.util.Locale.ROOT), instance, reason);
    }
}
