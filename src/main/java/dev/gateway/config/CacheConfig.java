package dev.gateway.config;

/** The top-level {@code cache} section: the one in-memory store for the instance, at most {@code maxSize} bytes (64MiB). */
public record CacheConfig(long maxSize) {
    public static final CacheConfig DEFAULTS = new CacheConfig(64L << 20);
}
