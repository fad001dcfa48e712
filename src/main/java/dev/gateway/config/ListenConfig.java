package dev.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The client-facing listener. Defaults: host 0.0.0.0, port 8080, shutdown-grace 15s, max-body-size 10MiB,
 * max-header-size 16KiB, plain HTTP (HTTPS with {@code tls}), HTTP/2 on ({@code h2} through ALPN on HTTPS, h2c by
 * prior knowledge or {@code Upgrade: h2c} on plain HTTP), idle-timeout 60s (a connection with no traffic for that
 * long is closed), max-connections 0 (sized from the file-descriptor limit when the server starts; beyond it new
 * connections wait in the backlog). {@code redirectHttpPort}: with TLS, a plain-HTTP port on the same host that
 * answers 308 to https ({@code redirect-http}).
 */
public record ListenConfig(String host, int port, Duration shutdownGrace, long maxBodySize, long maxHeaderSize,
                           Optional<TlsConfig> tls, boolean http2, Duration idleTimeout, int maxConnections,
                           Optional<Integer> redirectHttpPort) {
    public static final ListenConfig DEFAULTS = new ListenConfig("0.0.0.0", 8080, Duration.ofSeconds(15), 10L << 20,
            16L << 10, Optional.empty(), true, Duration.ofSeconds(60), 0, Optional.empty());

    /** The same listener on another port ({@code serve --port}). */
    public ListenConfig withPort(int port) {
        return new ListenConfig(host, port, shutdownGrace, maxBodySize, maxHeaderSize, tls, http2, idleTimeout,
                maxConnections, redirectHttpPort);
    }

    /** {@code https} with TLS, else {@code http}. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
