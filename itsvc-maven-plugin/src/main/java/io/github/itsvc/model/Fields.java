package io.github.itsvc.model;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of a known shape (a role, a check...): checks its keys once, then hands out typed values. A
 * getter returns {@code null} when the key is absent or its value is wrong; in the latter case it has reported a
 * problem, so binders just skip what they could not read and go on collecting problems.
 */
public final class Fields {

    private final MappingNode node;
    private final String what;
    private final Problems problems;
    private final Map<String, NodeTuple> entries;

    /**
     * @param what the mapping as messages name it: "the service", "role 'web'", "check 1 of role 'web'"
     * @param allowed every key this mapping may have, in the order the fix lists them
     */
    public Fields(MappingNode node, String what, List<String> allowed, Problems problems) {
        this.node = node;
        this.what = what;
        this.problems = problems;
        this.entries = Yaml.entries(node, what, problems);
        entries.entrySet().removeIf(e -> {
            if (allowed.contains(e.getKey())) {
                return false;
            }
            problems.add(e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "' in " + what,
                    Suggestions.didYouMean(e.getKey(), allowed) + "allowed keys: " + Suggestions.list(allowed));
            return true;
        });
    }

    public String what() {
        return what;
    }

    public MappingNode node() {
        return node;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node of a key, or {@code null}. */
    public Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The key node, for problems about the key as a whole (e.g. "both 'url' and 'file'"). */
    public Node key(String key) {
        return entries.get(key).getKeyNode();
    }

    /** Reports a missing required key at the start of the mapping. */
    public void missing(String key, String example) {
        problems.add(node, what + " has no '" + key + "'", "add '" + key + ": " + example + "'");
    }

    public void wrongType(String key, String expected, String example) {
        problems.add(value(key), "'" + key + "' in " + what + " must be " + expected + ", not "
                + Yaml.describe(value(key)), "write it like '" + key + ": " + example + "'");
    }

    /** A non-blank string, or {@code null}. */
    public String string(String key, String example) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        String s = Yaml.string(value);
        if (s == null) {
            wrongType(key, "a string", example);
            return null;
        }
        if (s.isBlank()) {
            problems.add(value, "'" + key + "' in " + what + " is empty",
                    "write it like '" + key + ": " + example + "', or remove the key");
            return null;
        }
        return s;
    }

    public String requiredString(String key, String example) {
        if (!has(key)) {
            missing(key, example);
            return null;
        }
        return string(key, example);
    }

    /** A boolean ({@code true}/{@code false}), or {@code null}. */
    public Boolean bool(String key, String example) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            return Boolean.valueOf(s.getValue().toLowerCase(Locale.ROOT));
        }
        wrongType(key, "true or false", example);
        return null;
    }

    /** An integer within {@code min..max}, or {@code null}. */
    public Integer integer(String key, int min, int max, String example) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        BigInteger i = Yaml.integer(value);
        if (i == null) {
            wrongType(key, "an integer", example);
            return null;
        }
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(value, "'" + key + "' in " + what + " must be " + range(min, max) + ", not " + i,
                    "write a whole number " + range(min, max) + ", like '" + key + ": " + example + "'");
            return null;
        }
        return i.intValue();
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
    }

    /** A mapping; an empty value counts as absent, so {@code values:} with only comments below is fine. */
    public MappingNode mapping(String key, String example) {
        Node value = value(key);
        if (value == null || Yaml.isEmpty(value)) {
            return null;
        }
        if (value instanceof MappingNode m) {
            return m;
        }
        wrongType(key, "a mapping", example);
        return null;
    }

    /** A list; an empty value counts as absent. */
    public SequenceNode list(String key, String example) {
        Node value = value(key);
        if (value == null || Yaml.isEmpty(value)) {
            return null;
        }
        if (value instanceof SequenceNode s) {
            return s;
        }
        wrongType(key, "a list", example);
        return null;
    }
}
