package dev.gateway.config;

/**
 * What {@code GET /ready} asks for beyond a loaded config and not draining. {@code requireHealthyUpstreams}: every
 * upstream must have at least one target in rotation (default false: one failing service should not take the whole
 * gateway out of its load balancer).
 */
public record ReadinessConfig(boolean requireHealthyUpstreams) {
    public static final ReadinessConfig DEFAULTS = new ReadinessConfig(false);
}
