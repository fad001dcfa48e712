package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.JwksServer;
import dev.gateway.auth.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys change while the gateway runs and no restart is needed: a JWKS rotation is picked up on an unknown kid (one
 * refetch however many such tokens arrive) or by the background refresh, a JWKS outage keeps the last good keys, and
 * a changed HMAC secret in the config file is hot-reloaded.
 */
class KeyRotationE2ETest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ResourceStack resources;
    private JwksServer jwks;
    private HttpClient http;
    private int echo;

    @BeforeEach
    void start() throws Exception {
        resources = new ResourceStack();
        echo = resources.echo("echo");
        jwks = resources.add(new JwksServer());
        http = resources.httpClient();
    }

    @AfterEach
    void stop() {
        resources.close();
    }

    private static RSAKey jwk(KeyPair keys, String kid) {
        return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build();
    }

    private static JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build();
    }

    private Path config(String keys) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1 }
                jwt:
                  keys:
                %s
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: me, path: /me, upstream: echo }
                """.formatted(keys.indent(4).stripTrailing(), echo));
        return file;
    }

    private int status(InProcessGateway gateway, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/me")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls every 100 ms until the token gets {@code expected}; returns how many requests that took. */
    private int awaitStatus(InProcessGateway gateway, String token, int expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int requests = 1; ; requests++) {
            if (status(gateway, token) == expected) return requests;
            assertThat(System.nanoTime()).as("token did not get %d within %s; events:%n%s", expected, PATIENCE,
                    gateway.events()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aJwksRotationIsFetchedOnAnUnknownKidOnceAndTheOldKeyStopsWorking() throws Exception {
        KeyPair first = Tokens.rsa();
        KeyPair second = Tokens.rsa();
        jwks.serve(List.of(jwk(first, "k1")));
        InProcessGateway gateway = resources.add(InProcessGateway.start(config("- { jwks-url: \"" + jwks.url()
                + "\", refresh: 10m }")));
        String oldToken = Tokens.rs256(first, "k1", claims());
        assertThat(status(gateway, oldToken)).isEqualTo(200);
        int fetchesBefore = jwks.fetches();

        jwks.serve(List.of(jwk(second, "k2")));
        String newToken = Tokens.rs256(second, "k2", claims());
        // unknown kids refetch at most once per 10 s: a stream of them does not become a stream of fetches
        int requests = awaitStatus(gateway, newToken, 200);
        assertThat(jwks.fetches() - fetchesBefore).as("fetches for %d requests with an unknown kid", requests)
                .isEqualTo(1);
        assertThat(status(gateway, oldToken)).as("the rotated-out key").isEqualTo(401);
    }

    @Test
    void theBackgroundRefreshRotatesKeysAndAnOutageKeepsTheLastGoodOnes() throws Exception {
        KeyPair first = Tokens.rsa();
        KeyPair second = Tokens.rsa();
        jwks.serve(List.of(jwk(first, "k1")));
        InProcessGateway gateway = resources.add(InProcessGateway.start(config("- { jwks-url: \"" + jwks.url()
                + "\", refresh: 1s }")));
        String firstToken = Tokens.rs256(first, "k1", claims());
        assertThat(status(gateway, firstToken)).isEqualTo(200);

        jwks.status(503);
        int fetches = jwks.fetches();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (jwks.fetches() < fetches + 2 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(jwks.fetches()).as("refresh attempts while the JWKS is down").isGreaterThanOrEqualTo(fetches + 2);
        assertThat(status(gateway, firstToken)).as("last good keys while the JWKS is down").isEqualTo(200);
        assertThat(gateway.events()).contains("fetch failed (HTTP 503)");
        assertThat(gateway.events().split("fetch failed", -1)).as("the outage is logged once").hasSize(2);

        jwks.serve(List.of(jwk(second, "k2")));
        jwks.status(200);
        String secondToken = Tokens.rs256(second, "k2", claims());
        awaitStatus(gateway, firstToken, 401);
        assertThat(status(gateway, secondToken)).isEqualTo(200);
        assertThat(gateway.events()).contains("fetch recovered");
    }

    @Test
    void aChangedSecretInTheFileIsHotReloaded() throws Exception {
        String before = Tokens.secret(40);
        String after = Tokens.secret(40);
        Path file = config("- hmac-secret: \"" + before + "\"");
        InProcessGateway gateway = resources.add(InProcessGateway.start(file));
        String oldToken = Tokens.hs256(before, null, claims());
        String newToken = Tokens.hs256(after, null, claims());
        assertThat(status(gateway, oldToken)).isEqualTo(200);
        assertThat(status(gateway, newToken)).isEqualTo(401);

        config("- hmac-secret: \"" + after + "\"");
        awaitStatus(gateway, newToken, 200);
        assertThat(status(gateway, oldToken)).isEqualTo(401);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!gateway.events().contains("reloaded") && System.nanoTime() < deadline) Thread.sleep(20); // logged after the swap
        assertThat(gateway.events()).contains("reloaded").doesNotContain(before, after);
    }
}
