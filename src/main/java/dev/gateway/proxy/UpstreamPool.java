package dev.gateway.proxy;

import java.util.List;
import java.util.Map;

import dev.gateway.config.UpstreamConfig;

/**
 * A configured upstream at run time: its targets, their balancer and the pooled client. Built once per distinct
 * {@link UpstreamConfig} and carried across reloads while the config stays equal. Thread-safe.
 */
public final class UpstreamPool implements TargetResolver, AutoCloseable {
    /** Keep-alive connections kept per target; sized for a gateway in front of busy services. */
    static final int CONNECTIONS_PER_TARGET = 256;

    private final UpstreamConfig config;
    private final List<Target> targets;
    private final Balancer balancer;
    private final UpstreamClient client;

    public UpstreamPool(UpstreamConfig config) {
        this.config = config;
        this.targets = config.targets().stream().map(t -> new Target(t.url(), t.weight())).toList();
        this.balancer = Balancer.of(config.balance(), targets);
        this.client = new ApacheUpstreamClient(config.connectTimeout(), config.timeout(), CONNECTIONS_PER_TARGET);
    }

    public UpstreamConfig config() {
        return config;
    }

    public UpstreamClient client() {
        return client;
    }

    @Override
    public Target resolve(Map<String, String> variables) {
        return balancer.pick();
    }

    @Override
    public void close() {
        client.close();
    }
}
