package io.github.itsvc.model;

import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Binds a composed {@code sites/<name>.yaml} to a {@link Site}. */
final class SiteBinder {

    static final List<String> SITE_KEYS = List.of("target", "cloud", "allowHttp", "values", "statusPage");
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
        String statusPage = f.string("statusPage", "/var/www/html/itsvc/index.html");
        return new Site(name, target, cloud, Boolean.TRUE.equals(allowHttp), values, problems.at(root), statusPage);
    }
}
