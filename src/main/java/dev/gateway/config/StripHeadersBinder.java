package dev.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the top-level {@code strip-headers} list: header names, or prefixes ending in {@code *}, stored lower-cased. */
final class StripHeadersBinder {
    private static final Pattern ENTRY = Pattern.compile("[!#$%&'+.^_`|~0-9A-Za-z-]+\\*?");

    private StripHeadersBinder() {
    }

    /** The entries, or null after recording errors. */
    static List<String> bind(NodeReader reader, Node node) {
        if (node == null) return List.of();
        String path = "strip-headers";
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        Findings findings = reader.findings();
        List<String> out = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String text = reader.string(items.get(i), itemPath);
            if (text == null) continue;
            String entry = text.toLowerCase(Locale.ROOT);
            if (!ENTRY.matcher(text).matches()) {
                findings.error(items.get(i), itemPath, "invalid header name '" + text + "' (expected a name such as"
                        + " X-Debug, or a prefix ending in '*' such as X-Internal-*)");
            } else if (seen.putIfAbsent(entry, items.get(i)) != null) {
                findings.error(items.get(i), itemPath, "duplicate entry '" + text + "' (first at line "
                        + findings.at(seen.get(entry)).line() + "; header names ignore case)");
            } else {
                out.add(entry);
            }
        }
        return out.size() == items.size() ? out : null;
    }
}
