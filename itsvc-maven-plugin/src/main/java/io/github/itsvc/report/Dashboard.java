package io.github.itsvc.report;

import java.util.List;

/**
 * Everything the itsvc report ({@code mvn site}) and the status page show about one service on one site: the one data
 * model both are rendered from, by the same templates ({@link DashboardRenderer}). Plain records of text and numbers,
 * formatted already, so the templates only lay them out. Secrets are masked before they get here ({@link Secrets}).
 *
 * @param service the service's name
 * @param site the site's name
 * @param target the site's target ({@code local}, {@code openstack})
 * @param cloud the site's cloud, or {@code null}
 * @param generated when this was put together (UTC, to the second)
 * @param generatedBy what wrote it, e.g. {@code mvn itsvc:test-deployment}
 * @param roles the roles in file order
 * @param diagram the roles and their {@code dependsOn} as an inline SVG element ({@link Diagram})
 * @param values the site values, flattened, secrets masked
 * @param binaries every binary of the service
 * @param templates every template the roles render, and where it came from
 * @param checks the last test-deployment's results, or {@code null} when there are none
 * @param instances the instances as last observed, or {@code null} when no goal has observed them
 * @param channels the release the site runs from each channel it follows (filled by sync; empty until it ran)
 * @param syncs the history of syncs, newest first (filled by sync; empty until it exists)
 */
public record Dashboard(String service, String site, String target, String cloud, String generated,
        String generatedBy, List<RoleRow> roles, String diagram, List<Secrets.Value> values, List<BinaryRow> binaries,
        List<TemplateRow> templates, Checks checks, Instances instances, List<ChannelRow> channels,
        List<SyncRow> syncs) {

    public Dashboard {
        roles = List.copyOf(roles);
        values = List.copyOf(values);
        binaries = List.copyOf(binaries);
        templates = List.copyOf(templates);
        channels = List.copyOf(channels);
        syncs = List.copyOf(syncs);
    }

    /** The one-line verdict at the top of a page: {@code ok}, {@code failed} or {@code unknown}, and its words. */
    public String verdictKind() {
        if (checks != null && checks.failed() > 0 && !checks.stale()) {
            return "failed";
        }
        if (instances != null && instances.rows().stream().anyMatch(i -> "failed".equals(i.healthKind()))) {
            return "failed";
        }
        if (checks != null && !checks.stale() && checks.total() > 0) {
            return "ok";
        }
        return "unknown";
    }

    public String verdict() {
        if (checks != null && checks.failed() > 0 && !checks.stale()) {
            return checks.failed() + " of " + checks.total() + " deployment check" + (checks.total() == 1 ? "" : "s")
                    + " failed";
        }
        if (instances != null) {
            long unhealthy = instances.rows().stream().filter(i -> "failed".equals(i.healthKind())).count();
            if (unhealthy > 0) {
                return unhealthy + " instance" + (unhealthy == 1 ? " is" : "s are") + " unhealthy";
            }
        }
        if (checks != null && !checks.stale() && checks.total() > 0) {
            return "all " + checks.total() + " deployment check" + (checks.total() == 1 ? "" : "s") + " passed";
        }
        return "not tested yet";
    }

    /** Whether there is anything about channels and syncs to show (the section is left out otherwise). */
    public boolean hasReleases() {
        return !channels.isEmpty() || !syncs.isEmpty();
    }

    /**
     * @param ports e.g. {@code http 8080, admin 8081}; empty when none
     * @param dependsOn the roles it depends on
     * @param run the command, or empty
     */
    public record RoleRow(String name, int count, String ports, List<String> dependsOn, String run) {
        public RoleRow {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    /**
     * @param source as written in service.yaml
     * @param sha256 the pinned SHA-256, or empty when not pinned yet
     * @param sha512 the pinned SHA-512, or empty
     * @param signature what vouches for it, in words
     * @param signatureKind {@code verified} (a signature checked out), {@code configured} (one is configured but no
     *     run has checked it yet), {@code none} (pinned hashes only), {@code unpinned}
     */
    public record BinaryRow(String name, String source, String sha256, String sha512, String signature,
            String signatureKind) {}

    /**
     * @param name as the roles name it
     * @param origin {@code own} (the service's templates/), {@code jar} (a template jar), {@code missing}
     * @param from the file ({@code src/main/itsvc/templates/index.html.ftl}) or the jar ({@code
     *     io.github.itsvc:itsvc-templates:0.1.0})
     * @param usedBy the roles that render it
     */
    public record TemplateRow(String name, String origin, String from, List<String> usedBy) {
        public TemplateRow {
            usedBy = List.copyOf(usedBy);
        }
    }

    /**
     * The last test-deployment.
     *
     * @param when its time as the JUnit report has it
     * @param report the JUnit XML file it wrote, relative to the project
     * @param time the checks' total time, e.g. {@code 12.30s}
     * @param stale whether the site was provisioned again since (these results are about an earlier deployment)
     */
    public record Checks(String when, String report, int total, int passed, int failed, int skipped, String time,
            boolean stale, List<CheckRow> rows) {
        public Checks {
            rows = List.copyOf(rows);
        }
    }

    /**
     * @param outcome {@code passed}, {@code failed} or {@code skipped}
     * @param check what was checked, without the instance: {@code http :http/ expects 200}
     * @param time e.g. {@code 1.25s}
     * @param message why it failed or was skipped; empty when it passed
     */
    public record CheckRow(String outcome, String instance, String role, String check, String time, String message) {}

    /**
     * @param when when they were observed
     * @param by the goal that observed them
     */
    public record Instances(String when, String by, List<InstanceRow> rows) {
        public Instances {
            rows = List.copyOf(rows);
        }
    }

    /**
     * @param state {@code running}, {@code stopped} or {@code missing} (wanted, but the target does not have it)
     * @param health in words; {@code healthKind} says {@code ok}, {@code failed} or {@code unknown}
     * @param configDigest the first 12 digits; {@code configDigestFull} all of them
     * @param drift how it differs from what was provisioned, in words; {@code driftKind} is {@code none},
     *     {@code drift} or {@code unknown}
     */
    public record InstanceRow(String name, String role, String state, String id, String address, String ports,
            String health, String healthKind, String configDigest, String configDigestFull, String since,
            String drift, String driftKind) {}

    /** The release the site runs from a channel it follows, and since when (written by sync). */
    public record ChannelRow(String channel, String release, String since) {}

    /**
     * One sync: what was taken, rejected (and why) or rolled back (written by sync).
     *
     * @param outcome {@code taken}, {@code up to date}, {@code rejected}, {@code rolled back}, {@code failed}
     */
    public record SyncRow(String when, String channel, String release, String outcome, String why) {}
}
