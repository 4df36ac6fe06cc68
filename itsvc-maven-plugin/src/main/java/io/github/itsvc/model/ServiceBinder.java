package io.github.itsvc.model;

import io.github.itsvc.model.Binary.Checksums;
import io.github.itsvc.model.Binary.FileSource;
import io.github.itsvc.model.Binary.MavenSource;
import io.github.itsvc.model.Binary.Signature;
import io.github.itsvc.model.Binary.Source;
import io.github.itsvc.model.Binary.UrlSource;
import io.github.itsvc.model.Check.Expect;
import io.github.itsvc.model.Check.Kind;
import io.github.itsvc.model.RelativePaths.InvalidPathException;
import io.github.itsvc.model.Role.FileSpec;
import io.github.itsvc.model.Role.Image;
import io.github.itsvc.model.Role.Install;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds a composed {@code service.yaml} to a {@link Service}, checking everything the JSON Schema checks and what it
 * cannot (references, cycles, duplicate ports and targets). It never stops at the first problem: whatever could not
 * be read is left out, and the caller throws all problems at the end.
 */
final class ServiceBinder {

    /** Service, role, port and site names: usable as DNS labels, unit names and folder names. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** Binary names may look like file names: {@code tomcat-11.tar.gz}. */
    static final Pattern BINARY_NAME = Pattern.compile("[a-z][a-z0-9._-]*");
    static final int MAX_NAME = 63;
    static final int MAX_COUNT = 100;

    static final Duration DEFAULT_WITHIN = Duration.ofSeconds(60);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_MODE = "0644";

    static final List<String> SERVICE_KEYS = List.of("name", "binaries", "roles");
    static final List<String> BINARY_KEYS =
            List.of("maven", "url", "file", "sha256", "sha512", "signature", "checksums");
    static final List<String> SOURCE_KEYS = List.of("maven", "url", "file");
    static final List<String> SIGNATURE_KEYS = List.of("url", "file", "keys");
    static final List<String> CHECKSUMS_KEYS = List.of("url", "file", "signature", "name");
    static final List<String> ROLE_KEYS =
            List.of("count", "image", "flavor", "ports", "dependsOn", "install", "files", "run", "checks");
    static final List<String> IMAGE_KEYS = List.of("binary");
    static final List<String> INSTALL_KEYS = List.of("binary", "unpack", "strip");
    static final List<String> FILE_KEYS = List.of("template", "to", "mode");
    static final List<String> CHECK_KEYS = List.of("http", "tcp", "command", "port", "expect", "within", "timeout");
    static final List<String> CHECK_KINDS = List.of("http", "tcp", "command");
    static final List<String> EXPECT_KEYS = List.of("status", "contains", "matches", "headers");

    private static final Pattern MAVEN_PART = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String INSTANCE_ROOT = "the instance root";

    private final Problems problems;

    /** A {@code dependsOn} entry, kept with its node to report cycles where they are written. */
    private record Dependency(String on, Node node) {}

    ServiceBinder(Problems problems) {
        this.problems = problems;
    }

    Service bind(MappingNode root) {
        Fields f = new Fields(root, "the service", SERVICE_KEYS, problems);
        String name = f.requiredString("name", "my-service");
        if (name != null) {
            checkName(f.value("name"), name, "the service name", NAME, "lower-case letters, digits and '-'");
        }
        MappingNode binariesNode = f.mapping("binaries", "{ tomcat: { maven: org.apache.tomcat:tomcat:tar.gz:11.0.24 } }");
        Map<String, NodeTuple> binaryEntries =
                binariesNode == null ? Map.of() : Yaml.entries(binariesNode, "'binaries'", problems);
        Map<String, Binary> binaries = new LinkedHashMap<>();
        binaryEntries.forEach((binaryName, tuple) -> {
            Binary binary = binary(binaryName, tuple);
            if (binary != null) {
                binaries.put(binaryName, binary);
            }
        });
        Map<String, Role> roles = roles(f, binaryEntries.keySet());
        return new Service(name, binaries, roles, problems.at(root));
    }

    // ---- binaries

    private Binary binary(String name, NodeTuple tuple) {
        checkName(tuple.getKeyNode(), name, "the binary name", BINARY_NAME,
                "lower-case letters, digits, '.', '_' and '-'");
        String what = "binary '" + name + "'";
        if (!(tuple.getValueNode() instanceof MappingNode mapping)) {
            problems.add(tuple.getValueNode(), what + " must be a mapping, not " + Yaml.describe(tuple.getValueNode()),
                    "write it like '" + name + ": { url: https://example.org/" + name + ".tar.gz }'");
            return null;
        }
        Fields f = new Fields(mapping, what, BINARY_KEYS, problems);
        Source source = source(f, what, "'maven: group:artifact:type:version', 'url: https://...' or 'file: path'",
                SOURCE_KEYS);
        Map<String, String> hashes = new LinkedHashMap<>();
        hash(f, "sha256", 64, "SHA-256", hashes);
        hash(f, "sha512", 128, "SHA-512", hashes);
        Signature signature = signature(f, "{ url: https://example.org/app.tar.gz.asc, keys: keys/app.asc }");
        Checksums checksums = checksums(f, source);
        return new Binary(name, source, hashes, signature, checksums, problems.at(tuple.getKeyNode()));
    }

    private Signature signature(Fields f, String example) {
        MappingNode sig = f.mapping("signature", example);
        if (sig == null) {
            return null;
        }
        Fields s = new Fields(sig, "the signature of " + f.what(), SIGNATURE_KEYS, problems);
        Source sigSource = source(s, s.what(), "'url: https://...' or 'file: path'", List.of("url", "file"));
        String keys = s.has("keys") ? path(s, "keys", "the definition directory", false, "keys/publisher.asc")
                : missing(s, "keys", "keys/publisher.asc");
        return new Signature(sigSource, keys);
    }

    /** {@code checksums:}: a signed list of digests; the entry named like the binary's file becomes its pin. */
    private Checksums checksums(Fields f, Source binarySource) {
        MappingNode node = f.mapping("checksums", "{ url: https://example.org/SHA256SUMS, signature: { url:"
                + " https://example.org/SHA256SUMS.asc, keys: keys/publisher.asc } }");
        if (node == null) {
            return null;
        }
        Fields c = new Fields(node, "the checksum list of " + f.what(), CHECKSUMS_KEYS, problems);
        Source source = source(c, c.what(), "'url: https://.../SHA256SUMS' or 'file: path'", List.of("url", "file"));
        Signature signature = signature(c, "{ url: https://example.org/SHA256SUMS.asc, keys: keys/publisher.asc }");
        if (signature == null && (!c.has("signature") || Yaml.isEmpty(c.value("signature")))) {
            problems.add(c.has("signature") ? c.value("signature") : c.node(), c.what()
                    + " has no 'signature': an unsigned list pins nothing",
                    "add 'signature: { url: https://.../SHA256SUMS.asc, keys: keys/publisher.asc }' with the"
                            + " publisher's signature of the list");
        }
        String name = c.string("name", "app-1.2.tar.gz");
        if (name != null && (name.contains("/") || name.contains("\\"))) {
            problems.add(c.value("name"), "'name' in " + c.what() + " must be a file name as the list writes it,"
                    + " without directories, not " + Yaml.quote(name),
                    "write the name after the digest in the list, like 'name: "
                            + name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1) + "'");
            name = null;
        } else if (name == null && !c.has("name") && binarySource != null) {
            name = binarySource.fileName();
            if (name == null) {
                problems.add(c.node(), c.what() + " needs a 'name': the binary's URL ends without a file name",
                        "add 'name: <file name>' as the list writes it after the digest");
            }
        }
        return new Checksums(source, signature, name);
    }

    /** Exactly one of {@code kinds} ({@code maven}, {@code url}, {@code file}) says where something comes from. */
    private Source source(Fields f, String what, String choices, List<String> kinds) {
        List<String> present = kinds.stream().filter(f::has).toList();
        if (present.isEmpty()) {
            problems.add(f.node(), what + " has no source", "add one of " + choices);
            return null;
        }
        if (present.size() > 1) {
            problems.add(f.key(present.get(1)), what + " has both '" + present.get(0) + "' and '" + present.get(1)
                    + "'", "keep only one source: " + choices);
        }
        return switch (present.get(0)) {
            case "maven" -> maven(f);
            case "url" -> {
                String url = url(f, "url", true);
                yield url == null ? null : new UrlSource(url);
            }
            default -> {
                String path = path(f, "file", "the project directory", false, "lib/app.tar.gz");
                yield path == null ? null : new FileSource(path);
            }
        };
    }

    private MavenSource maven(Fields f) {
        String coordinates = f.string("maven", "org.apache.tomcat:tomcat:tar.gz:11.0.24");
        if (coordinates == null) {
            return null;
        }
        String[] parts = coordinates.strip().split(":", -1);
        boolean partsValid = Arrays.stream(parts).allMatch(p -> MAVEN_PART.matcher(p).matches());
        if (!partsValid || parts.length != 4 && parts.length != 5) {
            String fix = partsValid && parts.length == 3
                    ? "add the type between artifact and version, like '" + parts[0] + ":" + parts[1] + ":jar:"
                            + parts[2] + "'"
                    : "write it like 'maven: org.apache.tomcat:tomcat:tar.gz:11.0.24'";
            problems.add(f.value("maven"), "'maven' in " + f.what() + " must be group:artifact:type[:classifier]:"
                    + "version, not " + Yaml.quote(coordinates), fix);
            return null;
        }
        return parts.length == 4
                ? new MavenSource(parts[0], parts[1], parts[2], null, parts[3])
                : new MavenSource(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /**
     * An absolute http(s) URL with a host. Plain http passes here: whether it may be fetched is the binaries'
     * policy, not the model's.
     */
    private String url(Fields f, String key, boolean forBinary) {
        String url = f.string(key, "https://example.org/app.tar.gz");
        if (url == null) {
            return null;
        }
        String where = "'" + key + "' in " + f.what();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                // Binaries are steered to https (plain http is refused by a later policy); checks may use either.
                problems.add(f.value(key), where + " must be " + (forBinary ? "an https://" : "an http:// or https://")
                        + " URL, not " + Yaml.quote(url),
                        forBinary ? "write the publisher's https:// URL; for a file in the project use 'file: path',"
                                + " for a Maven artifact 'maven: group:artifact:type:version'"
                                : "write it like 'https://example.org/health'");
                return null;
            }
            if (uri.getHost() == null) {
                problems.add(f.value(key), where + " has no host: " + Yaml.quote(url),
                        "write it like 'https://example.org/app.tar.gz'");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(f.value(key), where + " is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + "): " + Yaml.quote(url), "percent-encode special characters, e.g. %20 for a space");
            return null;
        }
    }

    private void hash(Fields f, String key, int digits, String algorithm, Map<String, String> hashes) {
        String hex = f.string(key, "<" + digits + " hex digits>");
        if (hex == null) {
            return;
        }
        if (!hex.matches("[0-9a-fA-F]{" + digits + "}")) {
            problems.add(f.value(key), "'" + key + "' in " + f.what() + " must be " + digits
                    + " hexadecimal digits, not " + Yaml.quote(hex) + " (" + hex.length() + " characters)",
                    "paste the full " + algorithm + " the publisher gives (" + key + "sum prints it)");
            return;
        }
        hashes.put(key, hex.toLowerCase(Locale.ROOT));
    }

    // ---- roles

    private Map<String, Role> roles(Fields service, Set<String> binaryNames) {
        Map<String, Role> roles = new LinkedHashMap<>();
        if (!service.has("roles")) {
            service.missing("roles", "{ web: { run: bin/server } }");
            return roles;
        }
        MappingNode rolesNode = service.mapping("roles", "{ web: { run: bin/server } }");
        if (rolesNode == null) {
            if (Yaml.isEmpty(service.value("roles"))) {
                problems.add(service.value("roles"), "the service has no roles",
                        "add at least one role under 'roles:', like 'web: { run: bin/server }'");
            }
            return roles;
        }
        Map<String, NodeTuple> entries = Yaml.entries(rolesNode, "'roles'", problems);
        if (entries.isEmpty() && rolesNode.getValue().isEmpty()) {
            problems.add(rolesNode, "the service has no roles",
                    "add at least one role under 'roles:', like 'web: { run: bin/server }'");
        }
        Map<String, List<Dependency>> dependencies = new LinkedHashMap<>();
        entries.forEach((name, tuple) -> {
            List<Dependency> deps = new ArrayList<>();
            Role role = role(name, tuple, entries.keySet(), binaryNames, deps);
            dependencies.put(name, deps);
            if (role != null) {
                roles.put(name, role);
            }
        });
        reportCycles(dependencies);
        return roles;
    }

    private Role role(String name, NodeTuple tuple, Set<String> roleNames, Set<String> binaryNames,
            List<Dependency> deps) {
        checkName(tuple.getKeyNode(), name, "the role name", NAME, "lower-case letters, digits and '-'");
        String what = "role '" + name + "'";
        if (!(tuple.getValueNode() instanceof MappingNode mapping)) {
            problems.add(tuple.getValueNode(), what + " must be a mapping, not " + Yaml.describe(tuple.getValueNode()),
                    "write it like '" + name + ": { run: bin/server }'");
            return null;
        }
        Fields f = new Fields(mapping, what, ROLE_KEYS, problems);
        Integer count = f.integer("count", 1, MAX_COUNT, "2");
        Image image = image(f, binaryNames);
        String flavor = f.string("flavor", "m1.small");
        Map<String, Integer> ports = ports(f);
        List<String> dependsOn = dependsOn(f, name, roleNames, deps);
        List<Install> install = install(f, binaryNames);
        List<FileSpec> files = files(f);
        String run = f.string("run", "bin/server --port 8080");
        List<Check> checks = checks(f, ports);
        return new Role(name, count == null ? 1 : count, image, flavor, ports, dependsOn, install, files, run, checks,
                problems.at(tuple.getKeyNode()));
    }

    private Image image(Fields f, Set<String> binaryNames) {
        Node value = f.value("image");
        if (value == null) {
            return null;
        }
        if (value instanceof MappingNode mapping) {
            Fields i = new Fields(mapping, "the image of " + f.what(), IMAGE_KEYS, problems);
            String binary = i.requiredString("binary", "debian-12-cloud");
            if (binary != null) {
                binaryReference(i.value("binary"), binary, i.what(), binaryNames);
            }
            return new Image(null, binary);
        }
        if (Yaml.string(value) == null) {
            f.wrongType("image", "an image name or '{ binary: <name> }'", "debian-12");
            return null;
        }
        String name = f.string("image", "debian-12");
        return name == null ? null : new Image(name, null);
    }

    private Map<String, Integer> ports(Fields f) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        MappingNode mapping = f.mapping("ports", "{ http: 8080 }");
        if (mapping == null) {
            return ports;
        }
        Map<Integer, String> byNumber = new HashMap<>();
        Yaml.entries(mapping, "the ports of " + f.what(), problems).forEach((name, tuple) -> {
            checkName(tuple.getKeyNode(), name, "the port name", NAME, "lower-case letters, digits and '-'");
            Node value = tuple.getValueNode();
            String what = "port '" + name + "' of " + f.what();
            BigInteger number = Yaml.integer(value);
            if (number == null) {
                problems.add(value, what + " must be an integer, not " + Yaml.describe(value),
                        "write it like '" + name + ": 8080'");
            } else if (number.signum() <= 0 || number.compareTo(BigInteger.valueOf(65535)) > 0) {
                problems.add(value, what + " must be from 1 to 65535, not " + number,
                        "pick a port number from 1 to 65535");
            } else {
                int port = number.intValue();
                String other = byNumber.putIfAbsent(port, name);
                if (other != null) {
                    problems.add(value, what + " has the number " + port + ", which port '" + other
                            + "' already has", "give each port of the role its own number");
                }
                ports.put(name, port);
            }
        });
        return ports;
    }

    private List<String> dependsOn(Fields f, String self, Set<String> roleNames, List<Dependency> deps) {
        Set<String> dependsOn = new LinkedHashSet<>();
        SequenceNode list = f.list("dependsOn", "[db]");
        if (list == null) {
            return List.of();
        }
        List<String> others = roleNames.stream().filter(r -> !r.equals(self)).toList();
        for (Node item : list.getValue()) {
            String on = Yaml.string(item);
            if (on == null) {
                problems.add(item, "'dependsOn' of " + f.what() + " must list role names, not " + Yaml.describe(item),
                        "write it like 'dependsOn: [db]'");
            } else if (on.equals(self)) {
                problems.add(item, f.what() + " depends on itself", "remove '" + self + "' from its 'dependsOn'");
            } else if (!roleNames.contains(on)) {
                problems.add(item, f.what() + " depends on '" + on + "', which is not a role of the service",
                        Suggestions.didYouMean(on, others) + "roles: " + Suggestions.list(others));
            } else if (!dependsOn.add(on)) {
                problems.add(item, f.what() + " lists '" + on + "' twice in 'dependsOn'", "remove one of them");
            } else {
                deps.add(new Dependency(on, item));
            }
        }
        return List.copyOf(dependsOn);
    }

    /** Depth-first search in file order; each back edge closes one cycle, reported where that edge is written. */
    private void reportCycles(Map<String, List<Dependency>> dependencies) {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String role : dependencies.keySet()) {
            if (!state.containsKey(role)) {
                visit(role, dependencies, state, new ArrayList<>());
            }
        }
    }

    private void visit(String role, Map<String, List<Dependency>> dependencies, Map<String, Integer> state,
            List<String> path) {
        state.put(role, 1);
        path.add(role);
        for (Dependency dep : dependencies.getOrDefault(role, List.of())) {
            Integer s = state.get(dep.on());
            if (s == null) {
                visit(dep.on(), dependencies, state, path);
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(dep.on()), path.size()));
                cycle.add(dep.on());
                problems.add(dep.node(), "the roles' dependsOn form a cycle: " + String.join(" -> ", cycle),
                        "remove one of these dependencies, so that one of the roles can start first");
            }
        }
        path.remove(path.size() - 1);
        state.put(role, 2);
    }

    private List<Install> install(Fields f, Set<String> binaryNames) {
        List<Install> install = new ArrayList<>();
        SequenceNode list = f.list("install", "[{ binary: tomcat, unpack: opt/tomcat }]");
        if (list == null) {
            return install;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String what = "install entry " + (i + 1) + " of " + f.what();
            if (!(item instanceof MappingNode mapping)) {
                problems.add(item, what + " must be a mapping, not " + Yaml.describe(item),
                        "write it like '- { binary: tomcat, unpack: opt/tomcat, strip: 1 }'");
                continue;
            }
            Fields e = new Fields(mapping, what, INSTALL_KEYS, problems);
            String binary = e.requiredString("binary", "tomcat");
            if (binary != null) {
                binaryReference(e.value("binary"), binary, what, binaryNames);
            }
            String unpack = e.has("unpack") ? path(e, "unpack", INSTANCE_ROOT, true, "opt/tomcat")
                    : missing(e, "unpack", "opt/" + (binary == null ? "app" : binary));
            Integer strip = e.integer("strip", 0, Integer.MAX_VALUE, "1");
            install.add(new Install(binary, unpack, strip == null ? 0 : strip, problems.at(item)));
        }
        return install;
    }

    private List<FileSpec> files(Fields f) {
        List<FileSpec> files = new ArrayList<>();
        SequenceNode list = f.list("files", "[{ template: app/config.ftl, to: etc/app.conf }]");
        if (list == null) {
            return files;
        }
        Map<String, String> writers = new HashMap<>(); // 'to' -> the entry that writes it first
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String what = "files entry " + (i + 1) + " of " + f.what();
            if (!(item instanceof MappingNode mapping)) {
                problems.add(item, what + " must be a mapping, not " + Yaml.describe(item),
                        "write it like '- { template: app/config.ftl, to: etc/app.conf }'");
                continue;
            }
            Fields e = new Fields(mapping, what, FILE_KEYS, problems);
            String template = e.has("template") ? template(e) : missing(e, "template", "app/config.ftl");
            String to = e.has("to") ? path(e, "to", INSTANCE_ROOT, false, "etc/app.conf")
                    : missing(e, "to", "etc/app.conf");
            if (to != null) {
                String first = writers.putIfAbsent(to, "files entry " + (i + 1) + " (line "
                        + problems.at(e.value("to")).line() + ")");
                if (first != null) {
                    problems.add(e.value("to"), what + " writes '" + to + "', like " + first,
                            "give each file its own 'to', or render both into one template");
                }
            }
            files.add(new FileSpec(template, to, mode(e), problems.at(item)));
        }
        return files;
    }

    /** A template name, relative to the template roots; a leading '/' (FreeMarker's absolute form) is dropped. */
    private String template(Fields e) {
        String template = e.string("template", "app/config.ftl");
        if (template == null) {
            return null;
        }
        try {
            return RelativePaths.normalize(template.startsWith("/") ? template.substring(1) : template,
                    "the template folders", false);
        } catch (InvalidPathException ex) {
            problems.add(e.value("template"), "'template' in " + e.what() + " " + ex.getMessage() + ": "
                    + Yaml.quote(template), ex.fix);
            return null;
        }
    }

    /** Octal mode: "0644" is best quoted, but a plain 0644 (a YAML integer) means the same to the user. */
    private String mode(Fields e) {
        Node value = e.value("mode");
        if (value == null) {
            return DEFAULT_MODE;
        }
        String text = value instanceof ScalarNode s
                && (Tag.STR.equals(s.getTag()) || Tag.INT.equals(s.getTag())) ? s.getValue() : null;
        if (text == null || !MODE.matcher(text).matches()) {
            problems.add(value, "'mode' in " + e.what() + " must be an octal file mode like \"0644\", not "
                    + Yaml.describe(value), "write it like 'mode: \"0755\"' (3 or 4 digits from 0 to 7)");
            return null;
        }
        return text.length() == 3 ? "0" + text : text;
    }

    // ---- checks

    private List<Check> checks(Fields f, Map<String, Integer> ports) {
        List<Check> checks = new ArrayList<>();
        SequenceNode list = f.list("checks", "[{ http: /, port: http }]");
        if (list == null) {
            return checks;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String what = "check " + (i + 1) + " of " + f.what();
            if (!(item instanceof MappingNode mapping)) {
                problems.add(item, what + " must be a mapping, not " + Yaml.describe(item),
                        "write it like '- { http: /, port: http }'");
                continue;
            }
            Check check = check(new Fields(mapping, what, CHECK_KEYS, problems), f.what(), ports);
            if (check != null) {
                checks.add(check);
            }
        }
        return checks;
    }

    private Check check(Fields c, String role, Map<String, Integer> ports) {
        List<String> kinds = CHECK_KINDS.stream().filter(c::has).toList();
        if (kinds.isEmpty()) {
            problems.add(c.node(), c.what() + " has none of 'http', 'tcp' or 'command'",
                    "add one: 'http: /' with 'port: <port>', 'tcp: <port>' or 'command: bin/health'");
            return null;
        }
        if (kinds.size() > 1) {
            problems.add(c.key(kinds.get(1)), c.what() + " has both '" + kinds.get(0) + "' and '" + kinds.get(1)
                    + "'", "keep one: a check is an 'http', a 'tcp' or a 'command' check; write two checks for both");
        }
        Kind kind = Kind.valueOf(kinds.get(0).toUpperCase(Locale.ROOT));
        String target = null;
        String port = null;
        switch (kind) {
            case HTTP -> {
                target = c.string("http", "/health");
                if (target != null && target.startsWith("/")) {
                    if (c.has("port")) {
                        port = portReference(c, "port", role, ports);
                    } else {
                        problems.add(c.value("http"), c.what() + " checks the path '" + target
                                + "' but has no 'port'", ports.isEmpty()
                                        ? "add 'ports: { http: 8080 }' to " + role + " and 'port: http' to the check"
                                        : "add 'port: <name>' with one of the role's ports: "
                                                + Suggestions.list(ports.keySet()));
                    }
                } else if (target != null && !target.contains("://")) {
                    problems.add(c.value("http"), "'http' in " + c.what() + " must be a path starting with '/' or"
                            + " an http(s) URL, not " + Yaml.quote(target), "write it like 'http: /" + target + "'");
                    target = null;
                } else if (target != null) {
                    if (url(c, "http", false) == null) {
                        target = null;
                    } else if (c.has("port")) {
                        problems.add(c.key("port"), c.what() + " checks a full URL, so its 'port' is not used",
                                "remove 'port', or check a path like 'http: /health' on the role's own port");
                    }
                }
            }
            case TCP -> {
                if (c.string("tcp", "http") != null) {
                    port = portReference(c, "tcp", role, ports);
                }
                if (c.has("port")) {
                    problems.add(c.key("port"), c.what() + " is a tcp check: 'tcp' names its port, 'port' is not used",
                            "remove 'port'");
                }
            }
            case COMMAND -> {
                target = c.string("command", "bin/health");
                if (c.has("port")) {
                    problems.add(c.key("port"), "'port' in " + c.what() + " is only for http checks",
                            "remove it; pass the port to the command instead");
                }
            }
        }
        Expect expect = Expect.none();
        if (kind == Kind.TCP && c.has("expect")) {
            problems.add(c.key("expect"), c.what() + " is a tcp check, which has nothing to expect",
                    "remove 'expect', or use an http or command check");
        } else {
            expect = expect(c, kind);
        }
        Duration within = duration(c, "within", DEFAULT_WITHIN);
        Duration timeout = duration(c, "timeout", DEFAULT_TIMEOUT);
        if (within != null && timeout != null && timeout.compareTo(within) > 0) {
            problems.add(c.has("timeout") ? c.value("timeout") : c.value("within"), c.what() + " has a 'timeout' of "
                    + Durations.format(timeout) + (c.has("timeout") ? "" : " (the default)")
                    + ", longer than its 'within' of " + Durations.format(within),
                    "make 'within' at least as long as 'timeout', or shorten 'timeout'");
        }
        return new Check(kind, target, port, expect, within, timeout, problems.at(c.node()));
    }

    private String portReference(Fields c, String key, String role, Map<String, Integer> ports) {
        String port = c.string(key, "http");
        if (port != null && !ports.containsKey(port)) {
            problems.add(c.value(key), c.what() + " uses port '" + port + "', which " + role + " does not have",
                    ports.isEmpty()
                            ? "add it to the role, like 'ports: { " + port + ": 8080 }'"
                            : Suggestions.didYouMean(port, ports.keySet()) + "the role's ports: "
                                    + Suggestions.list(ports.keySet()));
            return null;
        }
        return port;
    }

    private Expect expect(Fields c, Kind kind) {
        MappingNode mapping = c.mapping("expect", "{ status: 200, contains: Welcome }");
        if (mapping == null) {
            return Expect.none();
        }
        Fields e = new Fields(mapping, "'expect' of " + c.what(), EXPECT_KEYS, problems);
        Integer status = kind == Kind.COMMAND
                ? e.integer("status", 0, 255, "0")
                : e.integer("status", 100, 599, "200");
        String contains = e.string("contains", "Welcome");
        String matches = e.string("matches", "'Version [0-9.]+'");
        if (matches != null) {
            try {
                Pattern.compile(matches);
            } catch (PatternSyntaxException ex) {
                problems.add(e.value("matches"), "'matches' in " + e.what() + " is not a valid regular expression: "
                        + ex.getDescription() + " near index " + ex.getIndex() + " of " + Yaml.quote(matches),
                        "fix the expression (Java syntax); in single quotes YAML leaves backslashes alone");
                matches = null;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        MappingNode headersNode = e.mapping("headers", "{ Content-Type: text/html }");
        if (headersNode != null && kind != Kind.HTTP) {
            problems.add(e.key("headers"), "'headers' in " + e.what() + " are only for http checks",
                    "remove 'headers'");
        } else if (headersNode != null) {
            Yaml.entries(headersNode, "the headers of " + e.what(), problems).forEach((name, tuple) -> {
                if (!HEADER_NAME.matcher(name).matches()) {
                    problems.add(tuple.getKeyNode(), "header name " + Yaml.quote(name) + " in " + e.what()
                            + " is not valid", "write a header name like 'Content-Type'");
                }
                Node value = tuple.getValueNode();
                if (value instanceof ScalarNode s && !Yaml.isEmpty(s)) {
                    headers.put(name, s.getValue());
                } else {
                    problems.add(value, "header '" + name + "' in " + e.what() + " must be a string, not "
                            + Yaml.describe(value), "write it like '" + name + ": text/html'");
                }
            });
        }
        return new Expect(status, contains, matches, headers);
    }

    private Duration duration(Fields c, String key, Duration defaultValue) {
        Node value = c.value(key);
        if (value == null) {
            return defaultValue;
        }
        String where = "'" + key + "' in " + c.what();
        BigInteger bare = Yaml.integer(value);
        if (bare != null) {
            problems.add(value, where + " has no unit: " + bare, "write " + bare + "s");
            return null;
        }
        if (value instanceof ScalarNode s && Tag.FLOAT.equals(s.getTag())) {
            String fix = "write it with a unit, like 500ms, 30s or 1m30s";
            try {
                BigDecimal millis = new BigDecimal(s.getValue()).movePointRight(3).stripTrailingZeros();
                if (millis.signum() > 0 && millis.scale() <= 0) {
                    fix = "write " + Durations.format(Duration.ofMillis(millis.longValueExact()));
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // .inf and friends: keep the general fix
            }
            problems.add(value, where + " has no unit: " + s.getValue(), fix);
            return null;
        }
        String text = Yaml.string(value);
        if (text == null) {
            c.wrongType(key, "a duration", "30s");
            return null;
        }
        try {
            return Durations.parse(text.strip());
        } catch (IllegalArgumentException ex) {
            problems.add(value, where + " " + ex.getMessage() + ": " + Yaml.quote(text),
                    text.strip().matches("[0-9]+")
                            ? "write " + text.strip() + "s"
                            : "write it like 500ms, 30s, 2m, 1h or 1m30s");
            return null;
        }
    }

    // ---- shared

    private String path(Fields f, String key, String root, boolean allowRoot, String example) {
        String raw = f.string(key, example);
        if (raw == null) {
            return null;
        }
        try {
            return RelativePaths.normalize(raw, root, allowRoot);
        } catch (InvalidPathException ex) {
            problems.add(f.value(key), "'" + key + "' in " + f.what() + " " + ex.getMessage() + ": "
                    + Yaml.quote(raw), ex.fix);
            return null;
        }
    }

    private static String missing(Fields f, String key, String example) {
        f.missing(key, example);
        return null;
    }

    private void binaryReference(Node node, String binary, String what, Set<String> binaryNames) {
        if (!binaryNames.contains(binary)) {
            problems.add(node, what + " uses binary '" + binary + "', which is not defined under 'binaries'",
                    binaryNames.isEmpty()
                            ? "define it, like 'binaries: { " + binary + ": { url: https://... } }'"
                            : Suggestions.didYouMean(binary, binaryNames) + "defined binaries: "
                                    + Suggestions.list(binaryNames) + "; or define it under 'binaries'");
        }
    }

    /** Reports a name that does not match {@code pattern} or is too long, with a corrected name to use. */
    void checkName(Node node, String name, String label, Pattern pattern, String allowed) {
        if (!pattern.matcher(name).matches()) {
            problems.add(node, label + " " + Yaml.quote(name) + " must start with a lower-case letter and hold only "
                    + allowed, "rename it, like " + Yaml.quote(suggestName(name, pattern)));
        } else if (name.length() > MAX_NAME) {
            problems.add(node, label + " " + Yaml.quote(name) + " is longer than " + MAX_NAME + " characters",
                    "shorten it, like " + Yaml.quote(name.substring(0, MAX_NAME).replaceAll("[-._]+$", "")));
        }
    }

    private static String suggestName(String name, Pattern pattern) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll(pattern == NAME ? "[^a-z0-9-]+" : "[^a-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME).replaceAll("[-._]+$", "");
        }
        return s.isEmpty() ? "my-name" : s;
    }
}
