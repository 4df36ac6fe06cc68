package io.github.itsvc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Binds a composed {@code sites/<name>.yaml} to a {@link Site}. */
final class SiteBinder {

    static final List<String> SITE_KEYS = List.of("target", "cloud", "allowHttp", "values", "openstack",
            "subscribe", "statusPage");
    static final List<String> SUBSCRIBE_KEYS = List.of("upstream", "channel", "accept", "keys");
    static final List<String> OPENSTACK_KEYS = List.of("network", "floatingIp", "publicKey", "antiAffinity", "rules");
    static final List<String> RULE_KEYS = List.of("protocol", "port", "from");
    static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp");
    static final List<String> AFFINITIES = List.of("soft", "hard", "none");
    static final List<String> TARGETS = List.of("local", "openstack");

    private final Problems problems;

    SiteBinder(Problems problems) {
        this.problems = problems;
    }

    @SuppressWarnings("unchecked")
    Site bind(String name, MappingNode root) {
        Fields f = new Fields(root, "site '" + name + "'", SITE_KEYS, problems);
        String target = f.requiredString("target", "local");
        if (target != null && !TARGETS.contains(target)) {
            problems.add(f.value("target"), "'target' in " + f.what() + " must be 'local' or 'openstack', not "
                    + Yaml.quote(target), Suggestions.didYouMean(target, TARGETS) + "targets: "
                            + Suggestions.list(TARGETS));
        }
        String cloud = f.string("cloud", "mycloud");
        if ("openstack".equals(target) && !f.has("cloud")) {
            problems.add(root, f.what() + " has no 'cloud', which the openstack target needs",
                    "add 'cloud: <name>' with the name of an entry in your clouds.yaml");
        } else if ("local".equals(target) && f.has("cloud")) {
            problems.add(f.key("cloud"), "'cloud' in " + f.what() + " is only for the openstack target",
                    "remove it, or set 'target: openstack'");
        }
        Boolean allowHttp = f.bool("allowHttp", "true");
        Map<String, Object> values = Map.of();
        Node valuesNode = f.value("values");
        if (valuesNode instanceof MappingNode) {
            values = (Map<String, Object>) Yaml.toJava(valuesNode, "'values' of " + f.what(), problems);
        } else if (valuesNode != null && !Yaml.isEmpty(valuesNode)) {
            f.wrongType("values", "a mapping", "{ greeting: Hello }");
        }
        Site.OpenStack openstack = Site.OpenStack.DEFAULTS;
        if (f.has("openstack")) {
            if (!"openstack".equals(target)) {
                problems.add(f.key("openstack"), "'openstack' in " + f.what() + " is only for the openstack target",
                        "remove it, or set 'target: openstack'");
            }
            MappingNode block = f.mapping("openstack", "{ network: private }");
            if (block != null) {
                openstack = openstack(block, f.what());
            }
        }
        MappingNode subscribe = f.mapping("subscribe", "{ upstream: https://git.example.org/team-wiki.git,"
                + " channel: live, accept: patch, keys: [keys/release.asc] }");
        String statusPage = f.string("statusPage", "/var/www/html/itsvc/index.html");
        return new Site(name, target, cloud, Boolean.TRUE.equals(allowHttp), values, problems.at(root), openstack,
                subscribe == null ? null : subscription(subscribe, f.what()), statusPage);
    }

    private Subscription subscription(MappingNode node, String site) {
        Fields s = new Fields(node, "'subscribe' of " + site, SUBSCRIBE_KEYS, problems);
        String upstream = s.requiredString("upstream", "https://git.example.org/team-wiki.git");
        String channel = s.requiredString("channel", "live");
        String accept = s.requiredString("accept", "patch");
        if (accept != null && !Subscription.LEVELS.contains(accept)) {
            problems.add(s.value("accept"), "'accept' in " + s.what() + " must be 'patch', 'minor' or 'major', not "
                    + Yaml.quote(accept), Suggestions.didYouMean(accept, Subscription.LEVELS) + "levels: "
                            + Suggestions.list(Subscription.LEVELS));
        }
        List<String> keys = new ArrayList<>();
        Node keysNode = s.value("keys");
        String example = "[keys/release.asc]";
        if (keysNode == null) {
            s.missing("keys", example);
        } else if (Yaml.string(keysNode) != null) {
            key(keysNode, Yaml.string(keysNode), s, keys);
        } else if (keysNode instanceof SequenceNode list && !list.getValue().isEmpty()) {
            for (Node item : list.getValue()) {
                String raw = Yaml.string(item);
                if (raw == null) {
                    problems.add(item, "each of 'keys' in " + s.what() + " must be a key file's path, not "
                            + Yaml.describe(item), "write it like 'keys: " + example + "'");
                } else {
                    key(item, raw, s, keys);
                }
            }
        } else {
            problems.add(keysNode, "'keys' in " + s.what() + " must list the key files (OpenPGP or SSH) trusted to sign"
                    + " releases", "write it like 'keys: " + example + "'");
        }
        return new Subscription(upstream, channel, accept, keys, problems.at(node));
    }

    private void key(Node node, String raw, Fields s, List<String> keys) {
        try {
            keys.add(RelativePaths.normalize(raw, "the definition directory", false));
        } catch (RelativePaths.InvalidPathException ex) {
            problems.add(node, "'keys' in " + s.what() + " " + ex.getMessage() + ": " + Yaml.quote(raw), ex.fix);
        }
    }

    private Site.OpenStack openstack(MappingNode block, String site) {
        Fields f = new Fields(block, "'openstack' of " + site, OPENSTACK_KEYS, problems);
        String affinity = f.string("antiAffinity", "soft");
        if (affinity != null && !AFFINITIES.contains(affinity)) {
            problems.add(f.value("antiAffinity"), "'antiAffinity' in " + f.what() + " must be 'soft', 'hard' or"
                    + " 'none', not " + Yaml.quote(affinity), Suggestions.didYouMean(affinity, AFFINITIES)
                    + "soft spreads the servers where the cloud can, hard refuses to put two on one host");
            affinity = null;
        }
        List<Site.Rule> rules = new ArrayList<>();
        SequenceNode list = f.list("rules", "[{ protocol: tcp, port: 22, from: 192.0.2.0/24 }]");
        if (list != null) {
            int n = 0;
            for (Node item : list.getValue()) {
                n++;
                if (!(item instanceof MappingNode rule)) {
                    problems.add(item, "rule " + n + " in " + f.what() + " must be a mapping, not "
                            + Yaml.describe(item), "write it like '{ protocol: tcp, port: 22, from: 192.0.2.0/24 }'");
                    continue;
                }
                Fields r = new Fields(rule, "rule " + n + " of " + f.what(), RULE_KEYS, problems);
                String protocol = r.string("protocol", "tcp");
                if (protocol == null) {
                    protocol = "tcp";
                } else if (!PROTOCOLS.contains(protocol)) {
                    problems.add(r.value("protocol"), "'protocol' in " + r.what() + " must be 'tcp', 'udp' or"
                            + " 'icmp', not " + Yaml.quote(protocol), Suggestions.didYouMean(protocol, PROTOCOLS)
                            + "protocols: " + Suggestions.list(PROTOCOLS));
                }
                Integer port = r.integer("port", 1, 65535, "22");
                String from = r.string("from", "192.0.2.0/24");
                rules.add(new Site.Rule(protocol, port, from == null ? "0.0.0.0/0" : from));
            }
        }
        return new Site.OpenStack(f.string("network", "private"), f.string("floatingIp", "public"),
                f.string("publicKey", "~/.ssh/id_ed25519.pub"), affinity == null ? "soft" : affinity, rules);
    }
}
