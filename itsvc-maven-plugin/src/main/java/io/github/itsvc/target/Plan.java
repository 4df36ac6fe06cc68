package io.github.itsvc.target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes that bring what a target has to what the service and site want, instance by instance, with the
 * reason for each. The same rules hold on every target: an instance is identified by role and index, and kept only
 * while it runs the wanted config digest.
 */
public record Plan(List<Change> changes) {

    public Plan {
        changes = List.copyOf(changes);
    }

    /** Compares the wanted instances with the ones the target has. */
    public static Plan between(List<DesiredInstance> desired, List<Instance> actual) {
        Map<String, Instance> existing = new LinkedHashMap<>();
        actual.forEach(instance -> existing.put(instance.name(), instance));
        List<Change> changes = new ArrayList<>();
        for (DesiredInstance want : desired) {
            Instance have = existing.remove(want.name());
            String role = want.role().name();
            if (have == null) {
                changes.add(new Change(Change.Action.CREATE, want.name(), role, want, null, "new instance"));
            } else if (!have.running()) {
                changes.add(new Change(Change.Action.REPLACE, want.name(), role, want, have, "not running"));
            } else if (!want.configDigest().equals(have.configDigest())) {
                changes.add(new Change(Change.Action.REPLACE, want.name(), role, want, have,
                        "config changed (" + shortDigest(have.configDigest()) + " -> "
                                + shortDigest(want.configDigest()) + ")"));
            } else {
                changes.add(new Change(Change.Action.KEEP, want.name(), role, want, have,
                        "unchanged (" + shortDigest(want.configDigest()) + ")"));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        desired.forEach(want -> counts.merge(want.role().name(), 1L, Long::sum));
        for (Instance have : existing.values()) {
            Long count = counts.get(have.role());
            String reason = count == null ? "role " + have.role() + " is no longer in the service"
                    : "role " + have.role() + " now has " + count + (count == 1 ? " instance" : " instances");
            changes.add(new Change(Change.Action.DELETE, have.name(), have.role(), null, have, reason));
        }
        return new Plan(changes);
    }

    /** Whether applying it would change nothing. */
    public boolean isNoop() {
        return changes.stream().allMatch(c -> c.action() == Change.Action.KEEP);
    }

    /** The changes of one role, in instance order. */
    public List<Change> forRole(String role) {
        return changes.stream().filter(c -> c.role().equals(role)).toList();
    }

    /** One line per instance, for the log. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        changes.forEach(c -> lines.add(c.toString()));
        return Collections.unmodifiableList(lines);
    }

    static String shortDigest(String digest) {
        return digest == null ? "none" : digest.substring(0, Math.min(12, digest.length()));
    }
}
