package dev.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A loaded file as written (before {@code ${VAR}} substitution, so secrets passed by environment never appear) as a
 * JSON-ready tree of maps, lists and scalars, for {@code GET /admin/config}. Values of secret keys
 * ({@code hmac-secret}) become {@value #REDACTED}, and so do the credentials of any URL that has them
 * ({@code redis://:hunter2@cache:6379} shows as {@code redis://<redacted>@cache:6379}).
 */
public final class RedactedSource {
    public static final String REDACTED = "<redacted>";
    private static final Set<String> SECRET_KEYS = Set.of("hmac-secret");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final int MAX_DEPTH = 64;

    private RedactedSource() {
    }

    /** The tree of {@code loaded}'s text. */
    public static Object tree(LoadedConfig loaded) {
        String text = loaded.source().startsWith("\uFEFF") ? loaded.source().substring(1) : loaded.source();
        Node root = new Compose(LoadSettings.builder().build()).composeString(text).orElse(null);
        return root == null ? Map.of() : value(root, false, 0);
    }

    private static Object value(Node node, boolean secret, int depth) {
        if (depth > MAX_DEPTH) return "...";
        return switch (node) {
            case MappingNode mapping -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : mapping.getValue()) {
                    String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                    out.put(key, value(t.getValueNode(), SECRET_KEYS.contains(key), depth + 1));
                }
                yield out;
            }
            case SequenceNode seq -> {
                List<Object> out = new ArrayList<>();
                for (Node item : seq.getValue()) out.add(value(item, secret, depth + 1));
                yield out;
            }
            case ScalarNode scalar -> secret ? REDACTED : scalar(scalar);
            default -> null;
        };
    }

    private static Object scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        if (scalar.getScalarStyle() != ScalarStyle.PLAIN) return withoutCredentials(text);
        switch (text) {
            case "", "~", "null", "Null", "NULL" -> {
                return null;
            }
            case "true", "True", "TRUE" -> {
                return true;
            }
            case "false", "False", "FALSE" -> {
                return false;
            }
            default -> {
            }
        }
        if (INTEGER.matcher(text).matches() && text.length() < 19) return Long.parseLong(text);
        if (DECIMAL.matcher(text).matches()) return Double.parseDouble(text);
        return withoutCredentials(text);
    }

    private static String withoutCredentials(String text) {
        Matcher m = URL_CREDENTIALS.matcher(text);
        return m.find() ? m.group(1) + REDACTED + "@" + text.substring(m.end()) : text;
    }
}
