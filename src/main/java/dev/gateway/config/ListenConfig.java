package dev.gateway.config;

import java.time.Duration;

/**
 * The client-facing listener. Defaults: host 0.0.0.0, port 8080, shutdown-grace 15s, max-body-size 10MiB,
 * max-header-size 16KiB.
 */
public record ListenConfig(String host, int port, Duration shutdownGrace, long maxBodySize, long maxHeaderSize) {
    public static final ListenConfig DEFAULTS =
            new ListenConfig("0.0.0.0", 8080, Duration.ofSeconds(15), 10L << 20, 16L << 10);
}
