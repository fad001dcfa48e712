package dev.gateway.routing;

import java.util.Map;

/**
 * An immutable open-addressing map from literal segment to child node, looked up by a range of the request
 * path so that matching never copies a segment out of the path.
 */
final class LiteralTable<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    LiteralTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (Map.Entry<String, V> e : entries.entrySet()) {
            int slot = spread(e.getKey().hashCode()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = e.getKey();
            values[slot] = e.getValue();
        }
    }

    /** The value for {@code path[start, end)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String path, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + path.charAt(i);
        }
        int len = end - start;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key == null) {
                return null;
            }
            if (key.length() == len && path.startsWith(key, start)) {
                return (V) values[slot];
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
