package io.github.itsvc.model;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML as the binders see it: a composed node tree (so every value keeps its line and column), plus the few helpers
 * that turn nodes into words for messages and into plain Java values. Public for the other core packages that read
 * YAML of their own ({@code itsvc.lock}), so their problems read like the definition's.
 */
public final class Yaml {

    private Yaml() {}

    /**
     * Composes a file that must hold exactly one YAML document, a mapping. Returns {@code null} when there is no
     * usable mapping; what went wrong is in {@code problems}.
     *
     * @param emptyFix what to tell the user when the file is empty, e.g. "add 'target: local'"
     */
    public static MappingNode readMapping(Path file, Problems problems, String emptyFix) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(Location.of(problems.file()), "the file is not valid UTF-8", "save it with UTF-8 encoding");
            return null;
        } catch (IOException e) {
            problems.add(Location.fileOnly(problems.file()), "cannot read the file: " + e,
                    "check that it is a readable file");
            return null;
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }

        List<Node> documents = new ArrayList<>();
        try {
            Iterator<Node> it = new Compose(settings()).composeAllFromString(text).iterator();
            while (it.hasNext()) {
                documents.add(it.next());
            }
        } catch (MarkedYamlEngineException e) {
            var mark = e.getProblemMark().or(e::getContextMark);
            problems.add(mark.map(problems::at).orElse(Location.of(problems.file())), syntaxMessage(e),
                    syntaxFix(e.getProblem()));
            return null;
        } catch (YamlEngineException e) {
            // Unmarked engine errors are limits (too many aliases, file too large), not typos.
            problems.add(Location.of(problems.file()), "cannot read the YAML: " + firstLine(e.getMessage()),
                    "simplify the file: fewer aliases, no recursive structures");
            return null;
        }

        if (documents.isEmpty() || documents.size() == 1 && isEmpty(documents.get(0))) {
            problems.add(Location.of(problems.file()), "the file is empty", emptyFix);
            return null;
        }
        if (documents.size() > 1) {
            problems.add(documents.get(1), "the file holds " + documents.size() + " YAML documents, not one",
                    "keep a single document: remove the '---' line and what follows it, or merge both");
        }
        Node root = documents.get(0);
        if (root instanceof MappingNode mapping) {
            return mapping;
        }
        problems.add(root, "the file must be a mapping of keys to values, not " + describe(root), emptyFix);
        return null;
    }

    private static LoadSettings settings() {
        return LoadSettings.builder()
                // YAML 1.2 core schema: what IDEs' YAML language servers assume, so both read 'on' as a string.
                .setSchema(new CoreSchema())
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(50)
                .build();
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = firstLine(e.getProblem() == null ? e.getMessage() : e.getProblem());
        String context = "";
        if (e.getContext() != null) {
            // An unclosed bracket is found far from where it opened: say where that was.
            String where = e.getContextMark()
                    .filter(c -> e.getProblemMark().map(p -> p.getLine() != c.getLine()).orElse(false))
                    .map(c -> " started at line " + (c.getLine() + 1) + ":" + (c.getColumn() + 1))
                    .orElse("");
            context = " (" + firstLine(e.getContext()) + where + ")";
        }
        return "YAML syntax error: " + problem + context;
    }

    private static String syntaxFix(String problem) {
        String p = problem == null ? "" : problem;
        if (p.contains("\\t")) {
            return "indent with spaces, not tabs";
        }
        if (p.contains("mapping values are not allowed")) {
            return "put 'key: value' pairs on lines of their own, and quote values that contain ': '";
        }
        if (p.contains("found undefined alias") || p.contains("found undefined anchor")) {
            return "define the anchor with '&name' before using it as '*name'";
        }
        if (p.contains("found character") && p.contains("cannot start any token")) {
            return "quote the value: values starting with '@', '`', '%' or a tab must be in quotes";
        }
        return "check the indentation and quoting around this line; values containing ': ', ' #' or starting with"
                + " one of * & ! | > { [ must be quoted";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** An empty document or value: nothing after the colon, or {@code ~}/{@code null}. */
    public static boolean isEmpty(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    /** The node as a message shows it: "the string \"two\"", "the integer 3", "a list"... */
    public static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (Tag.STR.equals(tag)) {
            return "the string " + quote(s.getValue());
        }
        if (Tag.INT.equals(tag)) {
            return "the integer " + s.getValue();
        }
        if (Tag.FLOAT.equals(tag)) {
            return "the number " + s.getValue();
        }
        if (Tag.BOOL.equals(tag)) {
            return "the boolean " + s.getValue();
        }
        if (Tag.NULL.equals(tag)) {
            return s.getValue().isEmpty() ? "an empty value" : "null";
        }
        return "a value tagged " + tag.getValue();
    }

    /** A user's string in double quotes, shortened and with line breaks shown, so a message stays one line. */
    public static String quote(String value) {
        String v = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t");
        return "\"" + (v.length() > 60 ? v.substring(0, 57) + "..." : v) + "\"";
    }

    /** The text of a string scalar (a plain, quoted or block string), or {@code null} for anything else. */
    public static String string(Node node) {
        return node instanceof ScalarNode s && Tag.STR.equals(s.getTag()) ? s.getValue() : null;
    }

    /** The value of an integer scalar in any core-schema form (42, +42, 0o17, 0x1F), or {@code null}. */
    public static BigInteger integer(Node node) {
        if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
            return null;
        }
        String v = s.getValue();
        if (v.startsWith("0o")) {
            return new BigInteger(v.substring(2), 8);
        }
        if (v.startsWith("0x")) {
            return new BigInteger(v.substring(2), 16);
        }
        return new BigInteger(v.startsWith("+") ? v.substring(1) : v);
    }

    /**
     * The entries of a mapping by key text, in file order. Reports keys that are not scalars and duplicate keys
     * (which the composer lets through); the first of duplicates wins.
     *
     * @param what the mapping as messages name it, e.g. "role 'web'"
     */
    public static Map<String, NodeTuple> entries(MappingNode mapping, String what, Problems problems) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            if (!(key instanceof ScalarNode s) || isEmpty(key)) {
                problems.add(key, "a key in " + what + " is " + describe(key) + ", not a name",
                        "write keys as plain names, e.g. 'name: value'");
                continue;
            }
            NodeTuple first = entries.putIfAbsent(s.getValue(), tuple);
            if (first != null) {
                problems.add(key, "duplicate key '" + s.getValue() + "' in " + what + " (first at line "
                        + problems.at(first.getKeyNode()).line() + ")", "keep only one '" + s.getValue() + "'");
            }
        }
        return entries;
    }

    /**
     * A free-form value as plain Java: {@link LinkedHashMap} (string keys, file order), {@link List},
     * {@link String}, {@link Integer} or {@link Long} (or {@link BigInteger} when larger), {@link Double},
     * {@link Boolean} or {@code null}. Collections are unmodifiable. Problems (duplicate keys, custom tags, recursive
     * aliases) are reported and the offending entry left out.
     */
    public static Object toJava(Node node, String what, Problems problems) {
        return toJava(node, what, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Object toJava(Node node, String what, Problems problems, Set<Node> open) {
        if (node instanceof ScalarNode s) {
            return scalar(s, what, problems);
        }
        if (!open.add(node)) {
            problems.add(node, what + " refers to itself through an alias", "replace the alias with a copy");
            return null;
        }
        try {
            if (node instanceof SequenceNode seq) {
                List<Object> list = new ArrayList<>();
                for (Node item : seq.getValue()) {
                    list.add(toJava(item, what, problems, open));
                }
                return Collections.unmodifiableList(list);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            Yaml.entries((MappingNode) node, what, problems).forEach(
                    (key, tuple) -> map.put(key, toJava(tuple.getValueNode(), what, problems, open)));
            return Collections.unmodifiableMap(map);
        } finally {
            open.remove(node);
        }
    }

    private static Object scalar(ScalarNode s, String what, Problems problems) {
        Tag tag = s.getTag();
        String v = s.getValue();
        if (Tag.STR.equals(tag)) {
            return v;
        }
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
        }
        if (Tag.INT.equals(tag)) {
            BigInteger i = integer(s);
            if (i.bitLength() < 32) {
                return i.intValue();
            }
            return i.bitLength() < 64 ? (Object) i.longValue() : i;
        }
        if (Tag.FLOAT.equals(tag)) {
            String f = v.toLowerCase(Locale.ROOT);
            if (f.endsWith(".nan")) {
                return Double.NaN;
            }
            if (f.endsWith(".inf")) {
                return f.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return Double.valueOf(v);
        }
        problems.add(s, what + " has a value tagged " + tag.getValue() + ", which itsvc does not know",
                "remove the tag, or quote the value to make it a string");
        return null;
    }
}
