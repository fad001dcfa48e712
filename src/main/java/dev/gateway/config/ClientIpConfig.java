package dev.gateway.config;

import java.util.List;

/**
 * The {@code client-ip} section: the CIDR blocks of proxies whose {@code X-Forwarded-For} is believed. By default
 * none is, and the client is the socket's peer.
 */
public record ClientIpConfig(List<String> trustedProxies) {
    public static final ClientIpConfig NONE = new ClientIpConfig(List.of());

    public ClientIpConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
