package io.github.itsvc.report;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one goal saw of a site, handed to {@link StatusPages#write}: the instances the target has, how healthy each
 * is, and, from {@code provision}, what it set up (config digests, verified binaries).
 *
 * @param goal the goal, e.g. {@code test-deployment}
 * @param at when
 * @param instances what the target's {@code discover()} (or provisioning) returned
 * @param health by instance name: a few words, e.g. {@code healthy (2 checks)}; instances without an entry are
 *     shown as not checked
 * @param provisioned by instance name, the config digest provisioning set up; {@code null} when the goal did not
 *     provision
 * @param binaries the binaries provisioning verified (signatures included); empty when the goal verified none
 */
public record Observation(String goal, Instant at, List<Instance> instances, Map<String, Health> health,
        Map<String, String> provisioned, List<VerifiedBinary> binaries) {

    /**
     * An instance's health.
     *
     * @param kind {@code ok}, {@code failed} or {@code unknown}
     */
    public record Health(String kind, String text) {}

    public Observation {
        instances = List.copyOf(instances);
        health = Map.copyOf(health);
        provisioned = provisioned == null ? null : Map.copyOf(provisioned);
        binaries = List.copyOf(binaries);
    }

    /** After {@code provision}: the instances as provisioned, healthy as far as readiness checks ran. */
    public static Observation provisioned(Provisioner.Result result, List<VerifiedBinary> binaries) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Change change : result.plan().changes()) {
            if (change.desired() != null) {
                digests.put(change.instance(), change.desired().configDigest());
            }
        }
        return new Observation("provision", Instant.now(), result.instances(), health(result.readiness()), digests,
                binaries);
    }

    /** After {@code test-deployment}: health from the checks it ran. */
    public static Observation tested(List<Instance> instances, List<CheckResult> results) {
        return new Observation("test-deployment", Instant.now(), instances, health(results), null, List.of());
    }

    /**
     * After {@code status}.
     *
     * @param health by instance name, as status prints it: {@code healthy}, {@code UNHEALTHY 1/2}, {@code no checks},
     *     {@code -}
     */
    public static Observation status(List<Instance> instances, Map<String, String> health) {
        Map<String, Health> byInstance = new LinkedHashMap<>();
        health.forEach((instance, text) -> byInstance.put(instance, new Health(
                text.startsWith("healthy") ? "ok" : text.startsWith("UNHEALTHY") ? "failed" : "unknown",
                text.startsWith("UNHEALTHY") ? "unhealthy: " + text.substring("UNHEALTHY".length()).trim()
                        + " checks pass" : "-".equals(text) ? "not running" : text)));
        return new Observation("status", Instant.now(), instances, byInstance, null, List.of());
    }

    /** Per instance: healthy when every check passed, failing when one failed; skipped checks count for neither. */
    static Map<String, Health> health(List<CheckResult> results) {
        Map<String, List<CheckResult>> byInstance = new LinkedHashMap<>();
        results.forEach(r -> byInstance.computeIfAbsent(r.instance(), k -> new ArrayList<>()).add(r));
        Map<String, Health> health = new LinkedHashMap<>();
        byInstance.forEach((instance, list) -> {
            long failed = list.stream().filter(CheckResult::failed).count();
            long passed = list.stream().filter(CheckResult::passed).count();
            if (failed > 0) {
                health.put(instance, new Health("failed", "failing: " + failed + " of " + list.size() + " check"
                        + (list.size() == 1 ? "" : "s") + " failed"));
            } else if (passed > 0) {
                health.put(instance, new Health("ok", "healthy (" + passed + " check" + (passed == 1 ? "" : "s")
                        + " passed)"));
            } else {
                health.put(instance, new Health("unknown", "checks skipped"));
            }
        });
        return health;
    }
}
