package dev.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigLoader;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.observe.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFactoryTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final SnapshotFactory factory = new SnapshotFactory(Clock.systemUTC(), new EventLog(System.err));

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

    @Test
    void aKeyTheLoaderReadButThatCannotVerifyIsALocatedErrorAndAnUnchangedVerifierIsKept(@TempDir Path dir)
            throws Exception {
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        Files.writeString(dir.resolve("weak.pem"), "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(weak.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        String yaml = """
                jwt:
                  keys:
                    - hmac-secret: "0123456789abcdef0123456789abcdef"
                    - public-key: %s
                upstreams: { users: { targets: [ "http://127.0.0.1:9001" ] } }
                routes: [ { name: users, path: /users/**, upstream: users } ]
                """;
        LoadedConfig weakFile = loader.parse(dir.resolve("gateway.yaml").toString(), yaml.formatted("weak.pem"));
        assertThatThrownBy(() -> factory.build(weakFile, null)).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("gateway.yaml") + ":4:19: error: jwt.keys[1].public-key: " + dir.resolve("weak.pem")
                        + ": RSA key is 1024 bits; at least 2048 are required");

        String hmacOnly = """
                jwt: { keys: [ { hmac-secret: "0123456789abcdef0123456789abcdef" } ] }
                upstreams: { users: { targets: [ "http://127.0.0.1:%s" ] } }
                routes: [ { name: users, path: /users/**, upstream: users } ]
                """;
        RuntimeSnapshot first = factory.build(loader.parse("gateway.yaml", hmacOnly.formatted("9001")), null);
        RuntimeSnapshot second = factory.build(loader.parse("gateway.yaml", hmacOnly.formatted("9002")), first);
        assertThat(second.verifier()).containsSame(first.verifier().orElseThrow());
        first.close();
        second.close();
    }
}
