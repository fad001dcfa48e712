package dev.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads typed values out of the composed YAML tree. Every reader records the value's location under its path,
 * substitutes environment variables in scalars (so types come from the substituted text: {@code port: ${PORT}}
 * works), and on a problem records a located error and returns null, so binding goes on and finds the rest.
 * An empty value ({@code key:} or {@code ~}) is an empty list or mapping where one is expected, and an error
 * where a scalar is expected.
 */
final class NodeReader {
    private static final Set<String> YAML11_BOOLEANS = Set.of("yes", "no", "on", "off", "y", "n");

    private final Findings findings;
    private final EnvSubstitution env;

    NodeReader(Findings findings, EnvSubstitution env) {
        this.findings = findings;
        this.env = env;
    }

    Findings findings() {
        return findings;
    }

    /** The entries of a mapping; {@code keys} lists the valid keys, or is null when any name is allowed. */
    Fields fields(Node node, String path, List<String> keys) {
        findings.locate(path, node);
        if (isEmpty(node)) return new Fields(path, node, List.of());
        if (!(node instanceof MappingNode mapping)) {
            findings.error(node, path, "expected a mapping, got " + describe(node));
            return null;
        }
        List<Fields.Entry> entries = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || isEmpty(keyNode)) {
                findings.error(keyNode, path, "keys must be names, got " + describe(keyNode));
                continue;
            }
            String key = scalar.getValue();
            Node first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                findings.error(keyNode, path, "duplicate key '" + key + "' (first at line " + findings.at(first).line() + ")");
            } else if (keys != null && !keys.contains(key)) {
                findings.error(keyNode, path, "unknown key '" + key + "'" + Suggestions.hint(key, keys));
            } else {
                entries.add(new Fields.Entry(key, keyNode, t.getValueNode()));
            }
        }
        return new Fields(path, node, List.copyOf(entries));
    }

    /** The items of a list. */
    List<Node> list(Node node, String path) {
        findings.locate(path, node);
        if (isEmpty(node)) return List.of();
        if (node instanceof SequenceNode seq) return seq.getValue();
        findings.error(node, path, "expected a list, got " + describe(node));
        return null;
    }

    /** A scalar's text after environment substitution. */
    String string(Node node, String path) {
        return scalar(node, path, "a string");
    }

    Integer integer(Node node, String path, int min, int max) {
        String text = scalar(node, path, "an integer");
        if (text == null) return null;
        if (!text.matches("[-+]?[0-9]+")) {
            findings.error(node, path, "expected an integer, got '" + text + "'");
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            findings.error(node, path, (max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max) + " (got " + text + ")");
            return null;
        }
        return (int) value;
    }

    Duration duration(Node node, String path, boolean zeroAllowed) {
        String text = scalar(node, path, "a duration");
        if (text == null) return null;
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() && !zeroAllowed) {
                findings.error(node, path, "must be greater than 0 (got " + text + ")");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            findings.error(node, path, e.getMessage());
            return null;
        }
    }

    Long size(Node node, String path) {
        String text = scalar(node, path, "a size");
        if (text == null) return null;
        try {
            long size = Sizes.parse(text);
            if (size == 0) {
                findings.error(node, path, "must be greater than 0 (got " + text + ")");
                return null;
            }
            return size;
        } catch (IllegalArgumentException e) {
            findings.error(node, path, e.getMessage());
            return null;
        }
    }

    /** A YAML 1.2 boolean: true or false (also True/TRUE, False/FALSE); yes/no/on/off are strings in YAML 1.2. */
    Boolean bool(Node node, String path) {
        String text = scalar(node, path, "true or false");
        if (text == null) return null;
        switch (text) {
            case "true", "True", "TRUE":
                return true;
            case "false", "False", "FALSE":
                return false;
            default:
                String hint = YAML11_BOOLEANS.contains(text.toLowerCase(Locale.ROOT))
                        ? " (YAML 1.2 reads yes/no/on/off as text: write true or false)" : "";
                findings.error(node, path, "expected true or false, got '" + text + "'" + hint);
                return null;
        }
    }

    /** A string, or a single string standing for a list of one. */
    List<String> strings(Node node, String path) {
        if (node instanceof ScalarNode && !isEmpty(node)) {
            String value = nonBlank(node, path);
            return value == null ? null : List.of(value);
        }
        List<Node> items = list(node, path);
        if (items == null) return null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String value = nonBlank(items.get(i), path + "[" + i + "]");
            if (value != null) out.add(value);
        }
        return out.size() == items.size() ? out : null;
    }

    /** A string that is not empty or blank. */
    String nonBlank(Node node, String path) {
        String text = string(node, path);
        if (text != null && text.isBlank()) {
            findings.error(node, path, "must not be empty");
            return null;
        }
        return text;
    }

    /**
     * A secret string: like {@link #string} but no message ever contains the value or a part of it; a problem in
     * a {@code ${...}} reference is reported without the text, a missing variable by its name only.
     */
    String secret(Node node, String path) {
        findings.locate(path, node);
        if (!(node instanceof ScalarNode scalar) || isEmpty(node)) {
            findings.error(node, path, "expected a string, got " + describe(node));
            return null;
        }
        EnvSubstitution.Result r = env.apply(scalar.getValue());
        r.errors().stream().map(e -> e.startsWith("environment variable ") ? e
                : "invalid ${...} reference in a secret (the value is not shown; write ${NAME} or ${NAME:-default};"
                        + " $$ is a literal $)").distinct().forEach(e -> findings.error(node, path, e));
        return r.value();
    }

    private String scalar(Node node, String path, String expected) {
        findings.locate(path, node);
        if (!(node instanceof ScalarNode scalar) || isEmpty(node)) {
            findings.error(node, path, "expected " + expected + ", got " + describe(node));
            return null;
        }
        EnvSubstitution.Result r = env.apply(scalar.getValue());
        for (String error : r.errors()) findings.error(node, path, error);
        return r.value();
    }

    static boolean isEmpty(Node node) {
        return node instanceof ScalarNode s && (s.getTag().equals(Tag.NULL) || s.isPlain() && s.getValue().equals("~"));
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        if (isEmpty(node)) return "an empty value";
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
