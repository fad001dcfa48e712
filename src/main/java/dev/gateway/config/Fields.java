package dev.gateway.config;

import java.util.List;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The checked entries of one YAML mapping: keys are strings, unique and (where the keys are fixed) known.
 * {@code node} is the mapping itself, for errors about the mapping as a whole such as a missing key.
 */
record Fields(String path, Node node, List<Entry> entries) {

    /** One key with its value, in file order. */
    record Entry(String key, Node keyNode, Node value) {
    }

    /** The value written for {@code key}, or null when the key is absent. */
    Node get(String key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) return e.value;
        }
        return null;
    }

    Node keyNode(String key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) return e.keyNode;
        }
        return null;
    }

    /** The path of a child key: {@code routes[0]} + {@code path} is {@code routes[0].path}. */
    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
