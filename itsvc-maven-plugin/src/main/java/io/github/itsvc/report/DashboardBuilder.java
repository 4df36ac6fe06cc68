package io.github.itsvc.report;

import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.model.Binary;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts a {@link Dashboard} together from the definition, the lock file, the {@link StatusRecord} the goals keep and
 * the last test-deployment's results. Reads nothing from the deployment itself.
 *
 * <p>Drift is told per instance against the last provisioning: an instance that runs another config digest than
 * provisioning set up, that stopped, that the target has but the service no longer wants, or that the service wants
 * but the target does not have. (A definition changed since then shows in {@code provision -Ditsvc.dryRun}.)
 */
final class DashboardBuilder {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final TemplateOrigins templates;

    DashboardBuilder(TemplateOrigins templates) {
        this.templates = templates;
    }

    /**
     * @param lock the pinned hashes, or {@code null}
     * @param checks the last test-deployment, or {@code null}
     * @param generatedBy e.g. {@code mvn itsvc:status}
     */
    Dashboard build(Service service, Site site, Lockfile lock, StatusRecord record, Dashboard.Checks checks,
            String generatedBy, Instant now) {
        List<Dashboard.RoleRow> roles = new ArrayList<>();
        for (Role role : service.roles().values()) {
            roles.add(new Dashboard.RoleRow(role.name(), role.count(), ports(role.ports()), role.dependsOn(),
                    role.run() == null ? "" : role.run()));
        }
        Dashboard.Instances instances = instances(service, record);
        Diagram diagram = new Diagram(service, roleStatus(service, instances, checks));
        return new Dashboard(service.name(), site.name(), site.target(), site.cloud(), TIME.format(now
                .truncatedTo(ChronoUnit.SECONDS)), generatedBy, roles, diagram.svg(), Secrets.flatten(site.values()),
                binaries(service, lock, record), templates.of(service), checks, instances, channels(record),
                syncs(record));
    }

    /** The release the site runs from each channel it follows (written by sync). */
    static List<Dashboard.ChannelRow> channels(StatusRecord record) {
        List<Dashboard.ChannelRow> rows = new ArrayList<>();
        record.channels().forEach((channel, c) -> rows.add(new Dashboard.ChannelRow(channel, c.release(),
                c.since() == null ? "" : TIME.format(c.since()))));
        return rows;
    }

    static List<Dashboard.SyncRow> syncs(StatusRecord record) {
        return record.syncs().stream().map(s -> new Dashboard.SyncRow(s.when() == null ? "" : TIME.format(s.when()),
                s.channel(), s.release(), s.outcome(), s.why())).toList();
    }

    static String ports(Map<String, Integer> ports) {
        return ports.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static List<Dashboard.BinaryRow> binaries(Service service, Lockfile lock, StatusRecord record) {
        List<Dashboard.BinaryRow> rows = new ArrayList<>();
        for (Binary binary : service.binaries().values()) {
            Lockfile.Entry entry = lock == null ? null : lock.entry(binary.name());
            String sha256 = binary.hashes().getOrDefault("sha256", entry == null || entry.sha256() == null ? ""
                    : entry.sha256());
            String sha512 = binary.hashes().getOrDefault("sha512", entry == null || entry.sha512() == null ? ""
                    : entry.sha512());
            String signedBy = record.signedBy().get(binary.name());
            String signature;
            String kind;
            if (signedBy != null) {
                kind = "verified";
                signature = (binary.signature() != null ? "signature" : "signed checksum list") + " verified, key "
                        + signedBy;
            } else if (binary.signature() != null) {
                kind = "configured";
                signature = "signature with keys " + binary.signature().keys() + ", not checked by a provision yet";
            } else if (binary.checksums() != null) {
                kind = "configured";
                signature = "signed checksum list with keys " + binary.checksums().signature().keys()
                        + ", not checked by a provision yet";
            } else if (sha256.isEmpty() && sha512.isEmpty() && binary.checksums() == null) {
                kind = "unpinned";
                signature = "not pinned: run mvn itsvc:pin";
            } else {
                kind = "none";
                signature = "unsigned: the pinned hash protects it";
            }
            rows.add(new Dashboard.BinaryRow(binary.name(), binary.source() == null ? "" : binary.source()
                    .describe(), sha256, sha512, signature, kind));
        }
        return rows;
    }

    /** Observed instances with their drift, then wanted instances the target did not have. */
    static Dashboard.Instances instances(Service service, StatusRecord record) {
        if (record.observed() == null) {
            return null;
        }
        List<Dashboard.InstanceRow> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StatusRecord.Observed i : record.instances()) {
            seen.add(i.name());
            Role role = service.roles().get(i.role());
            String drift;
            String driftKind = "drift";
            String wanted = record.provisioned().get(i.name());
            if (role == null) {
                drift = "role " + i.role() + " is no longer in the service";
            } else if (i.index() > role.count()) {
                drift = "role " + i.role() + " now has " + role.count() + (role.count() == 1 ? " instance"
                        : " instances");
            } else if (!"running".equals(i.state())) {
                drift = "stopped";
            } else if (wanted == null) {
                drift = "unknown: not provisioned by this project's build";
                driftKind = "unknown";
            } else if (!wanted.equals(i.configDigest())) {
                drift = "runs config " + shortDigest(i.configDigest()) + ", provisioned " + shortDigest(wanted);
            } else {
                drift = "none";
                driftKind = "none";
            }
            String digest = i.configDigest() == null ? "" : i.configDigest();
            rows.add(new Dashboard.InstanceRow(i.name(), i.role(), i.state(), i.id() == null ? "" : i.id(),
                    i.address() == null ? "" : i.address(), ports(i.ports()), i.health(), i.healthKind(),
                    shortDigest(digest), digest, i.since() == null ? "" : TIME.format(i.since()), drift, driftKind));
        }
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                String name = role.name() + "-" + index;
                if (!seen.contains(name)) {
                    rows.add(new Dashboard.InstanceRow(name, role.name(), "missing", "", "", "", "not running",
                            "failed", "", "", "", "missing: the target does not have it", "drift"));
                }
            }
        }
        return new Dashboard.Instances(TIME.format(record.observed()), record.by(), rows);
    }

    /** A role failed when one of its instances is unhealthy or missing, or one of its checks failed. */
    static Map<String, Diagram.RoleStatus> roleStatus(Service service, Dashboard.Instances instances,
            Dashboard.Checks checks) {
        Map<String, Diagram.RoleStatus> status = new LinkedHashMap<>();
        for (String role : service.roles().keySet()) {
            long failedChecks = checks == null || checks.stale() ? 0 : checks.rows().stream()
                    .filter(r -> r.role().equals(role) && "failed".equals(r.outcome())).count();
            long passedChecks = checks == null || checks.stale() ? 0 : checks.rows().stream()
                    .filter(r -> r.role().equals(role) && "passed".equals(r.outcome())).count();
            List<Dashboard.InstanceRow> rows = instances == null ? List.of() : instances.rows().stream()
                    .filter(r -> r.role().equals(role)).toList();
            long unhealthy = rows.stream().filter(r -> "failed".equals(r.healthKind())).count();
            if (failedChecks > 0) {
                status.put(role, new Diagram.RoleStatus("failed", failedChecks + " check" + (failedChecks == 1 ? ""
                        : "s") + " failed"));
            } else if (unhealthy > 0) {
                status.put(role, new Diagram.RoleStatus("failed", unhealthy + " unhealthy"));
            } else if (passedChecks > 0 || !rows.isEmpty() && rows.stream().allMatch(r -> "ok".equals(r
                    .healthKind()))) {
                status.put(role, new Diagram.RoleStatus("ok", "healthy"));
            } else if (!rows.isEmpty() || checks != null) {
                status.put(role, new Diagram.RoleStatus("unknown", "not checked"));
            }
        }
        return status;
    }

    static String shortDigest(String digest) {
        return digest == null ? "" : digest.substring(0, Math.min(12, digest.length()));
    }
}
