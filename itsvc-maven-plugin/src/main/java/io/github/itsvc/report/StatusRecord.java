package io.github.itsvc.report;

import io.github.itsvc.target.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * What the goals have observed of a site, kept between runs in {@code target/itsvc/status/<site>.yaml}, so that each
 * goal adds what it knows (provision: config digests and signatures; test-deployment and status: instances and
 * health) and {@code mvn site} reads it all without touching the deployment. Holds no secrets: names, ports, digests,
 * times and health words only.
 *
 * @param observed when instances were last observed, or {@code null}
 * @param by the goal that observed them
 * @param instances as observed
 * @param provisionedAt when the site was last provisioned, or {@code null}
 * @param provisioned by instance name, the config digest the last provisioning set up
 * @param signedBy by binary name, the fingerprint of the key whose signature the last provisioning checked
 * @param channels by channel, the release a subscribed site runs from it (written by sync)
 * @param syncs the last syncs, newest first (written by sync; at most {@link #SYNCS_KEPT})
 */
public record StatusRecord(Instant observed, String by, List<Observed> instances, Instant provisionedAt,
        Map<String, String> provisioned, Map<String, String> signedBy, Map<String, Channel> channels,
        List<Sync> syncs) {

    /** How many syncs the record keeps. */
    static final int SYNCS_KEPT = 20;

    /** The release a site runs from a channel, and since when. */
    public record Channel(String release, Instant since) {}

    /**
     * One sync.
     *
     * @param release the release taken, offered or brought back ({@code -} when none)
     * @param outcome {@code taken}, {@code up to date}, {@code rejected}, {@code rolled back} or {@code failed}
     * @param why a line that says why
     */
    public record Sync(Instant when, String channel, String release, String outcome, String why) {}

    /** One instance as observed; see {@link Instance}. */
    public record Observed(String role, int index, String state, String id, String address, Map<String, Integer> ports,
            String configDigest, Instant since, String health, String healthKind) {

        public String name() {
            return role + "-" + index;
        }
    }

    public StatusRecord {
        instances = List.copyOf(instances);
        provisioned = Map.copyOf(provisioned);
        signedBy = Map.copyOf(signedBy);
        channels = Map.copyOf(channels);
        syncs = List.copyOf(syncs);
    }

    static StatusRecord empty() {
        return new StatusRecord(null, null, List.of(), null, Map.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * Adds a sync: first in the history, and, when a release runs from the channel, the channel's release (since
     * stays when it was already running).
     *
     * @param running the release the site runs after the sync, or {@code null}
     */
    StatusRecord with(Sync sync, String running) {
        List<Sync> history = new ArrayList<>();
        history.add(sync);
        history.addAll(syncs.subList(0, Math.min(syncs.size(), SYNCS_KEPT - 1)));
        Map<String, Channel> byChannel = new TreeMap<>(channels);
        if (running != null) {
            Channel before = byChannel.get(sync.channel());
            byChannel.put(sync.channel(), before != null && before.release().equals(running) ? before
                    : new Channel(running, sync.when()));
        }
        return new StatusRecord(observed, by, instances, provisionedAt, provisioned, signedBy, byChannel, history);
    }

    /** Adds what a goal observed: its instances replace the ones before; provisioning's digests replace theirs. */
    StatusRecord with(Observation o) {
        List<Observed> observed = new ArrayList<>();
        for (Instance i : o.instances()) {
            Observation.Health health = o.health().get(i.name());
            if (health == null) {
                health = i.running() ? new Observation.Health("unknown", "not checked by " + o.goal())
                        : new Observation.Health("failed", "not running");
            }
            observed.add(new Observed(i.role(), i.index(), i.running() ? "running" : "stopped", i.id(), i.address(),
                    i.ports(), i.configDigest(), i.since(), health.text(), health.kind()));
        }
        Map<String, String> signed = new TreeMap<>(signedBy);
        Instant provisionedAt = this.provisionedAt;
        Map<String, String> provisioned = this.provisioned;
        if (o.provisioned() != null) {
            provisionedAt = o.at();
            provisioned = o.provisioned();
            signed.clear();
            o.binaries().forEach(b -> {
                if (b.signedBy() != null) {
                    signed.put(b.name(), b.signedBy());
                }
            });
        }
        return new StatusRecord(o.at(), o.goal(), observed, provisionedAt, provisioned, signed, channels, syncs);
    }

    /** Reads the record; an absent or unreadable one (an older itsvc, a hand edit) is an empty record. */
    static StatusRecord read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        Object loaded;
        try {
            loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file,
                    StandardCharsets.UTF_8));
        } catch (YamlEngineException e) {
            return empty();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            return empty();
        }
        try {
            List<Observed> instances = new ArrayList<>();
            if (map.get("instances") instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> m) {
                        Map<String, Integer> ports = new LinkedHashMap<>();
                        if (m.get("ports") instanceof Map<?, ?> p) {
                            p.forEach((k, v) -> ports.put(String.valueOf(k), ((Number) v).intValue()));
                        }
                        instances.add(new Observed(str(m, "role"), ((Number) m.get("index")).intValue(),
                                str(m, "state"), str(m, "id"), str(m, "address"), ports, str(m, "configDigest"),
                                instant(str(m, "since")), str(m, "health"), str(m, "healthKind")));
                    }
                }
            }
            Map<String, Channel> channels = new TreeMap<>();
            if (map.get("channels") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (v instanceof Map<?, ?> c) {
                        channels.put(String.valueOf(k), new Channel(str(c, "release"), instant(str(c, "since"))));
                    }
                });
            }
            List<Sync> syncs = new ArrayList<>();
            if (map.get("syncs") instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> m) {
                        syncs.add(new Sync(instant(str(m, "when")), str(m, "channel"), str(m, "release"),
                                str(m, "outcome"), str(m, "why")));
                    }
                }
            }
            return new StatusRecord(instant(str(map, "observed")), str(map, "by"), instances,
                    instant(str(map, "provisionedAt")), strings(map.get("provisioned")), strings(map.get("signedBy")),
                    channels, syncs);
        } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
            return empty();
        }
    }

    /** Writes the record whole or not at all. */
    void write(Path file) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("observed", observed == null ? null : observed.toString());
        map.put("by", by);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Observed i : instances) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", i.role());
            m.put("index", i.index());
            m.put("state", i.state());
            m.put("id", i.id());
            m.put("address", i.address());
            m.put("ports", new LinkedHashMap<>(i.ports()));
            m.put("configDigest", i.configDigest());
            m.put("since", i.since() == null ? null : i.since().toString());
            m.put("health", i.health());
            m.put("healthKind", i.healthKind());
            list.add(m);
        }
        map.put("instances", list);
        map.put("provisionedAt", provisionedAt == null ? null : provisionedAt.toString());
        map.put("provisioned", new TreeMap<>(provisioned));
        map.put("signedBy", new TreeMap<>(signedBy));
        Map<String, Object> channelMap = new TreeMap<>();
        channels.forEach((name, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("release", c.release());
            m.put("since", c.since() == null ? null : c.since().toString());
            channelMap.put(name, m);
        });
        map.put("channels", channelMap);
        List<Map<String, Object>> syncList = new ArrayList<>();
        for (Sync sync : syncs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("when", sync.when() == null ? null : sync.when().toString());
            m.put("channel", sync.channel());
            m.put("release", sync.release());
            m.put("outcome", sync.outcome());
            m.put("why", sync.why());
            syncList.add(m);
        }
        map.put("syncs", syncList);
        String yaml = "# What itsvc goals observed of this site; the status page and mvn site read it. No secrets.\n"
                + new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(map);
        writeAtomically(file, yaml);
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String str(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        }
        return map;
    }
}
