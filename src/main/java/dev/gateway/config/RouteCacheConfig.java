package dev.gateway.config;

import java.time.Duration;

/**
 * A route's {@code cache}: responses live {@code ttl} unless the upstream's Cache-Control says otherwise, bodies up
 * to {@code maxEntrySize} (default 1MiB) are kept, and responses to requests with {@code Authorization} are cached
 * only when {@code sharedWithAuthenticated} (default false).
 */
public record RouteCacheConfig(Duration ttl, long maxEntrySize, boolean sharedWithAuthenticated) {
    public static final long DEFAULT_MAX_ENTRY_SIZE = 1L << 20;
}
