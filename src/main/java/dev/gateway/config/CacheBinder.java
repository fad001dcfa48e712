package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the top-level {@code cache} section and a route's {@code cache}. */
final class CacheBinder {
    static final List<String> INSTANCE_KEYS = List.of("max-size");
    static final List<String> ROUTE_KEYS = List.of("ttl", "max-entry-size", "shared-with-authenticated");

    private CacheBinder() {
    }

    /** {@link CacheConfig#DEFAULTS} when {@code node} is null; null after recording errors. */
    static CacheConfig instance(NodeReader reader, Node node) {
        if (node == null) return CacheConfig.DEFAULTS;
        Fields f = reader.fields(node, "cache", INSTANCE_KEYS);
        if (f == null) return null;
        if (f.get("max-size") == null) return CacheConfig.DEFAULTS;
        Long size = reader.size(f.get("max-size"), f.child("max-size"));
        return size == null ? null : new CacheConfig(size);
    }

    /** Empty when {@code node} is null; null after recording errors. */
    static Optional<RouteCacheConfig> route(NodeReader reader, Node node, String path) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, path, ROUTE_KEYS);
        if (f == null) return null;
        if (f.get("ttl") == null) {
            reader.findings().error(f.node(), path, "missing required key 'ttl' (how long a response is served, e.g. 30s)");
            return null;
        }
        Duration ttl = reader.duration(f.get("ttl"), f.child("ttl"), false);
        Long maxEntry = RouteCacheConfig.DEFAULT_MAX_ENTRY_SIZE;
        if (f.get("max-entry-size") != null) maxEntry = reader.size(f.get("max-entry-size"), f.child("max-entry-size"));
        Boolean shared = f.get("shared-with-authenticated") == null ? Boolean.FALSE
                : reader.bool(f.get("shared-with-authenticated"), f.child("shared-with-authenticated"));
        return ttl == null || maxEntry == null || shared == null ? null
                : Optional.of(new RouteCacheConfig(ttl, maxEntry, shared));
    }
}
