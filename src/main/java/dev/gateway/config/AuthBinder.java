package dev.gateway.config;

import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Binds a route's {@code auth}: {@code public}, {@code required} (the default) or a mapping of {@code roles} and
 * {@code scopes}.
 */
final class AuthBinder {
    static final List<String> VALUES = List.of("public", "required");
    static final List<String> KEYS = List.of("roles", "scopes");

    private final NodeReader reader;

    AuthBinder(NodeReader reader) {
        this.reader = reader;
    }

    /** The rule, {@link AuthConfig#REQUIRED} when {@code node} is null, or null after recording an error. */
    AuthConfig bind(Node node, String path) {
        if (node == null) return AuthConfig.REQUIRED;
        if (node instanceof ScalarNode && !NodeReader.isEmpty(node)) {
            String text = reader.string(node, path);
            if (text == null) return null;
            if (text.equals("public")) return AuthConfig.PUBLIC;
            if (text.equals("required")) return AuthConfig.REQUIRED;
            reader.findings().error(node, path, "unknown auth '" + text + "'" + Suggestions.hint(text, VALUES));
            return null;
        }
        if (!(node instanceof MappingNode)) {
            reader.findings().locate(path, node);
            reader.findings().error(node, path, "expected public, required or a mapping with roles and scopes, got "
                    + NodeReader.describe(node));
            return null;
        }
        Fields f = reader.fields(node, path, KEYS);
        List<String> roles = f.get("roles") == null ? List.of() : list(f, "roles");
        List<String> scopes = f.get("scopes") == null ? List.of() : list(f, "scopes");
        return roles == null || scopes == null ? null : new AuthConfig(false, roles, scopes);
    }

    private List<String> list(Fields f, String key) {
        List<Node> items = reader.list(f.get(key), f.child(key));
        if (items == null) return null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String value = reader.nonBlank(items.get(i), f.child(key) + "[" + i + "]");
            if (value != null) out.add(value);
        }
        return out.size() == items.size() ? out : null;
    }
}
