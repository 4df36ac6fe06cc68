package io.github.itsvc.render;

import io.github.itsvc.model.Binary;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The variables templates see, built from a service, a site and where each instance runs. Only plain maps (in
 * definition order), lists, strings, numbers and booleans, so templates cannot reach Java objects and output is
 * deterministic. An unset optional field (a role's {@code image}, {@code run}...) is absent, so a template must
 * say {@code role.run!""} or test {@code role.run??}, as strict rendering expects.
 *
 * <p>Variables for a template rendered for one instance:
 * <ul>
 *   <li>{@code service}: {@code name}, {@code roles} (name → role, as {@code role} below), {@code binaries}
 *   <li>{@code site}: {@code name}, {@code target}, {@code cloud}, {@code values}
 *   <li>{@code values}: the site values (same as {@code site.values})
 *   <li>{@code role}: {@code name}, {@code count}, {@code image} ({@code name} or {@code binary}), {@code flavor},
 *       {@code ports} (name → number), {@code dependsOn}, {@code run}, {@code install} ({@code binary},
 *       {@code unpack}, {@code strip}), {@code files} ({@code template}, {@code to}, {@code mode}), {@code checks}
 *       ({@code kind}, {@code target}, {@code port}, {@code expect}, {@code within}/{@code timeout} as ISO-8601 and
 *       {@code withinSeconds}/{@code timeoutSeconds})
 *   <li>{@code instance}: {@code index} (from 1), {@code name} ({@code <role>-<index>}), {@code role},
 *       {@code address}, {@code ports} (name → number), {@code root} (the instance root on its machine),
 *       {@code planned} (true until provisioning feeds real values)
 *   <li>{@code instances}: role name → list of that role's instances (as {@code instance}), e.g. for proxy upstreams
 *   <li>{@code binaries}: name → {@code name}, {@code source} (as written), {@code kind} ({@code maven}, {@code url},
 *       {@code file}), {@code maven} (coordinates) / {@code url} / {@code file}, {@code fileName}, {@code hashes},
 *       {@code signature} ({@code source}, {@code keys}), {@code checksums} ({@code source}, {@code signature},
 *       {@code name})
 * </ul>
 */
public final class DataModel {

    /** The instance root on a machine until provisioning says otherwise: one directory per instance. */
    public static final String PLANNED_ROOT_PARENT = "/srv/itsvc";

    /**
     * Planned cloud addresses are host names under {@code .invalid} (RFC 2606): valid wherever a host goes, and
     * never resolvable, so a config rendered before provisioning fails loudly instead of reaching a wrong host.
     */
    public static final String PLANNED_DOMAIN = "itsvc.invalid";

    /**
     * Where one instance runs.
     *
     * @param address its address (IP or host name) as other instances reach it
     * @param ports its ports by the role's port names
     * @param root the instance root directory on its machine (absolute)
     * @param planned {@code true} while these are planned values, not provisioned ones
     */
    public record Placement(String address, Map<String, Integer> ports, String root, boolean planned) {
        public Placement {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(root, "root");
            ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        }
    }

    /** Places instances: the planned placement for render-config, real ones from provisioning. */
    @FunctionalInterface
    public interface Placements {
        /** Where instance {@code index} (from 1) of {@code role} runs. */
        Placement of(Role role, int index);
    }

    /**
     * The placement before provisioning: {@code 127.0.0.1} on the {@code local} target, {@code
     * <instance>.<site>.<service>.itsvc.invalid} on clouds; the role's declared ports; root {@code
     * /srv/itsvc/<service>/<instance>}.
     */
    public static Placements planned(Service service, Site site) {
        boolean local = "local".equals(site.target());
        return (role, index) -> {
            String name = instanceName(role.name(), index);
            String address = local ? "127.0.0.1" : name + "." + site.name() + "." + service.name() + "." + PLANNED_DOMAIN;
            return new Placement(address, role.ports(), PLANNED_ROOT_PARENT + "/" + service.name() + "/" + name, true);
        };
    }

    /** An instance's name: {@code <role>-<index>}, index from 1. */
    public static String instanceName(String role, int index) {
        return role + "-" + index;
    }

    private final Map<String, Object> service;
    private final Map<String, Object> site;
    private final Map<String, Object> binaries;
    private final Map<String, Object> roles;
    private final Map<String, List<Map<String, Object>>> instances;

    public DataModel(Service service, Site site, Placements placements) {
        this.binaries = new LinkedHashMap<>();
        service.binaries().forEach((name, binary) -> binaries.put(name, binary(binary)));
        this.roles = new LinkedHashMap<>();
        this.instances = new LinkedHashMap<>();
        for (Role role : service.roles().values()) {
            roles.put(role.name(), role(role));
            List<Map<String, Object>> list = new ArrayList<>();
            for (int index = 1; index <= role.count(); index++) {
                list.add(instance(role, index, placements.of(role, index)));
            }
            instances.put(role.name(), Collections.unmodifiableList(list));
        }
        this.service = map("name", service.name(), "roles", roles, "binaries", binaries);
        Map<String, Object> values = plain(site.values());
        this.site = map("name", site.name(), "target", site.target(), "cloud", site.cloud(), "values", values);
    }

    /** The variables for templates rendered for instance {@code index} (from 1) of the role named {@code role}. */
    public Map<String, Object> forInstance(String role, int index) {
        List<Map<String, Object>> list = instances.get(role);
        if (list == null || index < 1 || index > list.size()) {
            throw new IllegalArgumentException("no instance " + index + " of role " + role);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("service", service);
        model.put("site", site);
        model.put("values", site.get("values"));
        model.put("role", roles.get(role));
        model.put("instance", list.get(index - 1));
        model.put("instances", instances);
        model.put("binaries", binaries);
        return model;
    }

    private static Map<String, Object> role(Role role) {
        List<Object> install = new ArrayList<>();
        for (Role.Install i : role.install()) {
            install.add(map("binary", i.binary(), "unpack", i.unpack(), "strip", i.strip()));
        }
        List<Object> files = new ArrayList<>();
        for (Role.FileSpec f : role.files()) {
            files.add(map("template", f.template(), "to", f.to(), "mode", f.mode()));
        }
        List<Object> checks = new ArrayList<>();
        for (Check c : role.checks()) {
            checks.add(check(c));
        }
        Object image = role.image() == null ? null : map("name", role.image().name(), "binary", role.image().binary());
        return map("name", role.name(), "count", role.count(), "image", image, "flavor", role.flavor(),
                "ports", new LinkedHashMap<>(role.ports()), "dependsOn", List.copyOf(role.dependsOn()),
                "run", role.run(), "install", install, "files", files, "checks", checks);
    }

    private static Map<String, Object> check(Check c) {
        Check.Expect e = c.expect() == null ? Check.Expect.none() : c.expect();
        Object expect = map("status", e.status(), "contains", e.contains(), "matches", e.matches(),
                "headers", new LinkedHashMap<>(e.headers()));
        return map("kind", c.kind().name().toLowerCase(Locale.ROOT), "target", c.target(), "port", c.port(),
                "expect", expect, "within", iso(c.within()), "withinSeconds", seconds(c.within()),
                "timeout", iso(c.timeout()), "timeoutSeconds", seconds(c.timeout()));
    }

    private static Map<String, Object> instance(Role role, int index, Placement p) {
        return map("index", index, "name", instanceName(role.name(), index), "role", role.name(),
                "address", p.address(), "ports", new LinkedHashMap<>(p.ports()), "root", p.root(),
                "planned", p.planned());
    }

    private static Map<String, Object> binary(Binary b) {
        Map<String, Object> m = map("name", b.name(), "source", b.source().describe());
        // Java 17: no pattern switch yet.
        if (b.source() instanceof Binary.MavenSource s) {
            m.put("kind", "maven");
            m.put("maven", map("groupId", s.groupId(), "artifactId", s.artifactId(), "type", s.type(),
                    "classifier", s.classifier(), "version", s.version()));
        } else if (b.source() instanceof Binary.UrlSource s) {
            m.put("kind", "url");
            m.put("url", s.url());
        } else if (b.source() instanceof Binary.FileSource s) {
            m.put("kind", "file");
            m.put("file", s.path());
        }
        m.put("fileName", b.fileName());
        m.put("hashes", new LinkedHashMap<>(b.hashes()));
        m.put("signature", signature(b.signature()));
        m.put("checksums", b.checksums() == null ? null
                : map("source", b.checksums().source().describe(), "signature", signature(b.checksums().signature()),
                        "name", b.checksums().name()));
        return m;
    }

    private static Map<String, Object> signature(Binary.Signature s) {
        return s == null ? null : map("source", s.source().describe(), "keys", s.keys());
    }

    /** A deep copy of site values as plain maps with string keys and lists, keeping order. */
    @SuppressWarnings("unchecked")
    private static <T> T plain(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(plain(v)));
            return (T) copy;
        }
        return value;
    }

    private static String iso(Duration d) {
        return d == null ? null : d.toString();
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }

    /** A LinkedHashMap from key/value pairs; null values stay (FreeMarker sees them as missing). */
    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
