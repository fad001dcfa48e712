package dev.gateway.config;

/**
 * The optional operator listener ({@code admin}): Prometheus metrics, health and readiness, and the read-only admin
 * API, on an address of its own so they are never exposed with the proxied traffic. Host defaults to 127.0.0.1; port
 * 0 takes a free port (the startup line says which).
 */
public record AdminConfig(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
}
