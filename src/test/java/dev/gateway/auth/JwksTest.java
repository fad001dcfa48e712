package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.gateway.auth.Verification.Invalid;
import dev.gateway.auth.Verification.Valid;
import dev.gateway.config.KeyConfig;
import dev.gateway.observe.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwksTest {
    private final MovableClock clock = new MovableClock(TokenVerifierTest.NOW);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final KeyPair a = Tokens.rsa();
    private final KeyPair b = Tokens.rsa();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private JwksServer server(JWK... keys) throws Exception {
        JwksServer server = new JwksServer();
        open.add(server);
        server.serve(List.of(keys));
        return server;
    }

    private TokenVerifier verifier(JwksServer server, Duration refresh) {
        KeyConfig jwks = new KeyConfig.JwksUrl(server.url(), refresh);
        TokenVerifier verifier = new TokenVerifier(TokenVerifierTest.config(List.of(jwks)), clock,
                new EventLog(new PrintStream(log, true)));
        open.add(verifier);
        return verifier;
    }

    private TokenVerifier started(JwksServer server) {
        TokenVerifier verifier = verifier(server, Duration.ofMinutes(10));
        verifier.start();
        assertThat(verifier.awaitKeys(Duration.ofSeconds(5))).isTrue();
        return verifier;
    }

    private static JWK rsa(KeyPair keys, String kid) {
        return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build();
    }

    private static String token(KeyPair keys, String kid) {
        return Tokens.rs256(keys, kid, TokenVerifierTest.claims().build());
    }

    private long warnings() {
        return log.toString().lines().filter(l -> l.contains(" WARN ")).count();
    }

    @Test
    void rotatedKeysAreFetchedOnAnUnknownKidAtMostOncePerTenSeconds() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = started(server);
        assertThat(((Valid) verifier.verify(token(a, "a"))).verifiedBy()).isEqualTo("jwks " + server.url() + " (kid a)");
        assertThat(verifier.describeKeys()).containsExactly("jwks " + server.url() + " (1 key, fetched 0s ago)");

        server.serve(List.of(rsa(b, "b")));
        assertThat(((Invalid) verifier.verify(token(b, "b"))).description())
                .as("the first fetch was just now").isEqualTo("unknown key id 'b'");
        assertThat(server.fetches()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));
        assertThat(((Valid) verifier.verify(token(b, "b"))).verifiedBy()).isEqualTo("jwks " + server.url() + " (kid b)");
        assertThat(server.fetches()).isEqualTo(2);
        assertThat(((Invalid) verifier.verify(token(a, "a"))).description()).isEqualTo("unknown key id 'a'");
        assertThat(log.toString()).contains("keys changed, kids now [b]");
        assertThat(warnings()).isZero();
    }

    @Test
    void aFloodOfRandomKidsCausesOneFetch() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = started(server);
        clock.advance(Duration.ofMinutes(1));
        List<Callable<Verification>> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String kid = UUID.randomUUID().toString();
            flood.add(() -> verifier.verify(token(a, kid)));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Verification> f : threads.invokeAll(flood)) {
                assertThat(((Invalid) f.get()).description()).startsWith("unknown key id '");
            }
        }
        assertThat(server.fetches()).isEqualTo(2);
        assertThat(verifier.verify(token(a, "a"))).isInstanceOf(Valid.class);
    }

    @Test
    void whenTheEndpointIsDownTheLastGoodKeysStillVerifyAndTheFailureIsLoggedOnce() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = started(server);
        server.close();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(11));
            assertThat(((Invalid) verifier.verify(token(b, "b" + i))).description()).isEqualTo("unknown key id 'b" + i + "'");
            assertThat(verifier.verify(token(a, "a"))).isInstanceOf(Valid.class);
        }
        assertThat(warnings()).isEqualTo(1);
        assertThat(log.toString()).contains("fetch failed (cannot connect); keeping the 1 key fetched at");
        assertThat(verifier.describeKeys().getFirst()).contains("(1 key, fetched 33s ago; last fetch failed 0s ago: cannot connect)");
    }

    @Test
    void recoveryIsLoggedOnceAndBringsTheNewKeys() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = started(server);
        server.status(503);
        server.serve(List.of(rsa(a, "a"), rsa(b, "b")));
        clock.advance(Duration.ofSeconds(11));
        assertThat(verifier.verify(token(b, "b"))).isInstanceOf(Invalid.class);
        assertThat(log.toString()).contains("fetch failed (HTTP 503)");
        server.status(200);
        clock.advance(Duration.ofSeconds(11));
        assertThat(verifier.verify(token(b, "b"))).isInstanceOf(Valid.class);
        assertThat(log.toString()).contains("fetch recovered, 2 keys");
        assertThat(warnings()).isEqualTo(1);
    }

    @Test
    void backgroundRefreshPicksUpRotationWithoutAnyRequest() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = verifier(server, Duration.ofMillis(50));
        verifier.start();
        assertThat(verifier.awaitKeys(Duration.ofSeconds(5))).isTrue();
        server.serve(List.of(rsa(b, "b")));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.fetches() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.fetches()).isGreaterThanOrEqualTo(3);
        // the clock never moved, so no unknown-kid refetch could have brought key b
        assertThat(verifier.verify(token(b, "b"))).isInstanceOf(Valid.class);
    }

    @Test
    void ecAndEd25519JwksKeysVerifyAndUnusableEntriesAreSkipped() throws Exception {
        KeyPair ec = Tokens.ec("secp256r1");
        KeyPair ed = Tokens.ed25519();
        byte[] spki = ed.getPublic().getEncoded();
        JWK edJwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, 12, 44)))
                .keyID("d").build();
        JWK ecJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("e").build();
        JWK encryption = new RSAKey.Builder((RSAPublicKey) b.getPublic()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build();
        JWK symmetric = new OctetSequenceKey.Builder(Tokens.secret(32).getBytes()).keyID("oct").build();
        JWK psOnly = new RSAKey.Builder((RSAPublicKey) a.getPublic()).keyID("ps").algorithm(new Algorithm("PS256")).build();
        JwksServer server = server(edJwk, ecJwk, encryption, symmetric, psOnly);
        TokenVerifier verifier = started(server);
        assertThat(verifier.describeKeys().getFirst()).contains("(3 keys, fetched");
        assertThat(verifier.verify(Tokens.eddsa(ed, "d", TokenVerifierTest.claims().build()))).isInstanceOf(Valid.class);
        assertThat(verifier.verify(Tokens.es256(ec, "e", TokenVerifierTest.claims().build()))).isInstanceOf(Valid.class);
        assertThat(((Invalid) verifier.verify(token(a, "ps"))).description())
                .as("the JWK's alg pins it to PS256").isEqualTo("no configured key can verify RS256 tokens with key id 'ps'");
        assertThat(((Invalid) verifier.verify(token(b, "enc"))).description()).isEqualTo("unknown key id 'enc'");
    }

    @Test
    void aBrokenEndpointFailsAwaitKeysAndVerificationStaysSafe() throws Exception {
        JwksServer server = server();
        server.serveRaw("<html>not json</html>");
        TokenVerifier verifier = verifier(server, Duration.ofMinutes(10));
        verifier.start();
        assertThat(verifier.awaitKeys(Duration.ofSeconds(5))).isFalse();
        assertThat(verifier.describeKeys().getFirst())
                .endsWith("(no keys yet; last fetch failed 0s ago: response is not a JWK set)");
        assertThat(log.toString()).contains("no keys from it until a fetch succeeds");
        assertThat(((Invalid) verifier.verify(token(a, null))).description())
                .isEqualTo("no configured key can verify RS256 tokens");
    }

    @Test
    void withoutStartNoSocketIsOpened() throws Exception {
        JwksServer server = server(rsa(a, "a"));
        TokenVerifier verifier = verifier(server, Duration.ofMinutes(10));
        assertThatThrownBy(() -> verifier.awaitKeys(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(token(a, "a"))).isInstanceOf(Invalid.class);
        assertThat(verifier.describeKeys().getFirst()).endsWith("(no keys yet)");
        verifier.close();
        assertThat(server.fetches()).isZero();
        assertThat(log.toString()).isEmpty();
    }

    @Test
    void credentialsInTheUrlAreNeverShown() {
        assertThat(JwksSource.shown(java.net.URI.create("https://user:pw@auth.test/jwks?api_key=s3cret")))
                .isEqualTo("https://auth.test/jwks?…");
        assertThat(JwksSource.shown(java.net.URI.create("http://auth:5001/.well-known/jwks.json")))
                .isEqualTo("http://auth:5001/.well-known/jwks.json");
    }
}
