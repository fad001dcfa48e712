package dev.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.gateway.config.ConfigLoader;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.UpstreamConfig;
import org.junit.jupiter.api.Test;

class SnapshotFactoryTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final SnapshotFactory factory = new SnapshotFactory(java.time.Clock.systemUTC(), new dev.gateway.observe.EventLog(System.err));

    private LoadedConfig load(String usersTimeout) throws Exception {
        return loader.parse("gateway.yaml", """
                upstreams:
                  users: { targets: [ "http://127.0.0.1:9001" ], timeout: %s }
                  orders: { targets: [ "http://127.0.0.1:9002" ] }
                routes:
                  - { name: users, path: /users/**, upstream: users, auth: public }
                  - { name: orders, path: /orders/**, upstream: orders, auth: public }
                  - { name: apps, path: "/apps/{app}/**", upstream: "http://{app}.internal:8080", auth: public }
                """.formatted(usersTimeout));
    }

    @Test
    void reloadKeepsThePoolsOfUnchangedUpstreamsAndReplacesChangedOnes() throws Exception {
        RuntimeSnapshot first = factory.build(load("5s"), null);
        RuntimeSnapshot second = factory.build(load("7s"), first);
        UpstreamConfig orders = first.loaded().config().upstreams().get("orders");
        UpstreamConfig users1 = first.loaded().config().upstreams().get("users");
        UpstreamConfig users2 = second.loaded().config().upstreams().get("users");

        assertThat(second.resources().get(orders)).isSameAs(first.resources().get(orders));
        assertThat(second.resources().get("inline http://{app}.internal:8080"))
                .isSameAs(first.resources().get("inline http://{app}.internal:8080"));
        assertThat(second.resources()).doesNotContainKey(users1);
        assertThat(second.resources().get(users2)).isNotNull();
        first.close();
        second.close();
    }

    @Test
    void aRetiredSnapshotSendsNewRequestsToItsSuccessor() throws Exception {
        RuntimeSnapshot first = factory.build(load("5s"), null);
        SnapshotHolder holder = new SnapshotHolder(first, new dev.gateway.observe.EventLog(System.err));
        RuntimeSnapshot inFlight = holder.acquire();
        RuntimeSnapshot second = factory.build(load("7s"), first);
        holder.swap(second, java.time.Duration.ofSeconds(5));

        assertThat(holder.acquire()).isSameAs(second);
        assertThat(first.idle()).as("the request that started on the old snapshot still runs on it").isFalse();
        holder.release(inFlight);
        assertThat(first.idle()).isTrue();
        holder.close(java.time.Duration.ZERO);
    }
}
