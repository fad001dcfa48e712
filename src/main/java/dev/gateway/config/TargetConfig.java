package dev.gateway.config;

import java.net.URI;

/** One upstream instance: an absolute http URL with scheme, host and port only (no path), and a weight >= 1. */
public record TargetConfig(URI url, int weight) {
}
