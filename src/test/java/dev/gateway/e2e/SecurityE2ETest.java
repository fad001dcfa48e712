package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.JwksServer;
import dev.gateway.auth.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens through the real gateway: every key kind verifies (HS256, RS256, ES256, EdDSA, a JWKS key), every
 * rejection is a 401 with its RFC 6750 challenge and never reaches the upstream, missing roles or scopes give 403,
 * and identity headers a client sends are stripped on public and protected routes alike.
 */
class SecurityE2ETest {
    private static final String ISSUER = "https://auth.test";
    private static final String SECRET = Tokens.secret(48);
    private static final KeyPair RSA = Tokens.rsa();
    private static final KeyPair EC = Tokens.ec("secp256r1");
    private static final KeyPair ED = Tokens.ed25519();
    private static final KeyPair JWKS_RSA = Tokens.rsa();

    @TempDir
    static Path dir;
    private static ResourceStack resources;
    private static InProcessGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        resources = new ResourceStack();
        int echo = resources.echo("echo");
        JwksServer jwks = resources.add(new JwksServer());
        jwks.serve(List.of(new RSAKey.Builder((RSAPublicKey) JWKS_RSA.getPublic()).keyID("j1").build()));
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/rsa.pub.pem"), Tokens.pem(RSA.getPublic()));
        Files.writeString(dir.resolve("keys/ec.pub.pem"), Tokens.pem(EC.getPublic()));
        Files.writeString(dir.resolve("keys/ed.pub.pem"), Tokens.pem(ED.getPublic()));
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1 }
                jwt:
                  issuer: %s
                  audiences: [ api ]
                  clock-skew: 5s
                  keys:
                    - hmac-secret: "%s"
                    - { public-key: keys/rsa.pub.pem, kid: rsa-1 }
                    - public-key: keys/ec.pub.pem
                    - public-key: keys/ed.pub.pem
                    - { jwks-url: "%s", refresh: 10m }
                  forward-claims: { sub: X-User-Id, roles: X-User-Roles, tenant: X-Tenant }
                strip-headers: [ X-Internal-*, X-Debug ]
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: login, path: /login, upstream: echo, auth: public }
                  - { name: me, path: /me, upstream: echo }
                  - { name: admin, path: /admin/**, upstream: echo, auth: { roles: [ admin ] } }
                  - { name: orders, path: /orders/**, upstream: echo, auth: { scopes: [ "orders:write" ] } }
                """.formatted(ISSUER, SECRET, jwks.url(), echo));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("api").subject("alice")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("admin", "ops"));
    }

    private static String hs256(JWTClaimsSet claims) {
        return Tokens.hs256(SECRET, null, claims);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> withToken(String path, String token, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
        all.addAll(List.of(headers));
        return get(path, all.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> upstreamHeaders(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (Map<String, Object>) TinyJson.object(r.body()).get("headers");
    }

    @Test
    void everyKindOfKeyVerifiesAndTheUpstreamSeesTheIdentity() throws Exception {
        JWTClaimsSet c = claims().claim("tenant", "acme").build();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("HS256", hs256(c));
        tokens.put("RS256 by kid", Tokens.rs256(RSA, "rsa-1", c));
        tokens.put("RS256 without kid", Tokens.rs256(RSA, null, c));
        tokens.put("PS256", Tokens.rsa(RSA, JWSAlgorithm.PS256, null, c));
        tokens.put("ES256", Tokens.es256(EC, null, c));
        tokens.put("EdDSA", Tokens.eddsa(ED, null, c));
        tokens.put("RS256 from the JWKS", Tokens.rs256(JWKS_RSA, "j1", c));
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            HttpResponse<String> r = withToken("/me", t.getValue());
            assertThat(r.statusCode()).as(t.getKey() + ": " + r.body()).isEqualTo(200);
            Map<String, Object> up = upstreamHeaders(r);
            assertThat(up).as(t.getKey()).containsEntry("x-user-id", "alice").containsEntry("x-user-roles", "admin,ops")
                    .containsEntry("x-tenant", "acme");
            // the token itself goes on to the upstream, which may want to read more of it
            assertThat(up).containsEntry("authorization", "Bearer " + t.getValue());
        }
    }

    @Test
    void everyRejectionIsA401WithAChallengeAndNeverReachesTheUpstream() throws Exception {
        Instant now = Instant.now();
        String other = Tokens.secret(48);
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("no Authorization header", new String[] {null, "missing bearer token"});
        cases.put("Basic scheme", new String[] {"Basic YWxpY2U6cGFzcw==", "scheme; a Bearer token is required"});
        cases.put("empty bearer", new String[] {"Bearer ", "missing bearer token"});
        cases.put("not a JWT", new String[] {"Bearer abc.def", "malformed token"});
        cases.put("expired", new String[] {"Bearer " + hs256(claims().expirationTime(Date.from(now.minusSeconds(600)))
                .build()), "token expired 10 minutes ago"});
        cases.put("not yet valid", new String[] {"Bearer " + hs256(claims().notBeforeTime(Date.from(now.plusSeconds(3600)))
                .build()), "not valid yet"});
        cases.put("issued in the future", new String[] {"Bearer " + hs256(claims().issueTime(Date.from(now.plusSeconds(3600)))
                .build()), "issued in the future"});
        cases.put("bad signature", new String[] {"Bearer " + Tokens.hs256(other, null, claims().build()),
                "signature does not match any configured key"});
        String payload = claims().build().toString();
        cases.put("alg none", new String[] {"Bearer " + Tokens.encode("{\"alg\":\"none\"}") + "." + Tokens.encode(payload)
                + ".", "algorithm none is not allowed"});
        // algorithm confusion: an HS256 token keyed with the RSA public key's PEM text must not verify
        cases.put("HS256 keyed with the RSA public key", new String[] {"Bearer " + Tokens.hmac(
                Tokens.pem(RSA.getPublic()).getBytes(StandardCharsets.UTF_8), JWSAlgorithm.HS256, "rsa-1",
                claims().build()), "signature does not match"});
        cases.put("unknown crit header", new String[] {"Bearer " + Tokens.rawHmac(
                "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", payload, SECRET), "unsupported critical header"});
        cases.put("oversized", new String[] {"Bearer " + hs256(claims().claim("pad", "x".repeat(9000)).build()),
                "larger than the 8192-byte limit"});
        cases.put("wrong issuer", new String[] {"Bearer " + hs256(claims().issuer("https://evil.test").build()),
                "issuer 'https://evil.test' is not the expected"});
        cases.put("wrong audience", new String[] {"Bearer " + hs256(claims().audience("other").build()),
                "includes none of [api]"});
        cases.put("unknown kid", new String[] {"Bearer " + Tokens.rs256(Tokens.rsa(), "nope", claims().build()),
                "unknown key id 'nope'"});
        cases.put("RS512 by an unconfigured RSA key",
                new String[] {"Bearer " + Tokens.rsa(Tokens.rsa(), JWSAlgorithm.RS512, null, claims().build()),
                        "signature does not match"});

        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String authorization = c.getValue()[0];
            HttpResponse<String> r = authorization == null ? get("/me") : get("/me", "Authorization", authorization);
            Map<String, Object> problem = Problems.assertProblem(r, 401);
            String challenge = r.headers().firstValue("www-authenticate").orElse("");
            assertThat(challenge).as(c.getKey()).startsWith("Bearer realm=\"gateway\", error=\"invalid_token\", "
                    + "error_description=\"").contains(c.getValue()[1]);
            assertThat((String) problem.get("detail")).as(c.getKey()).contains(c.getValue()[1]);
            if (authorization != null && authorization.length() > 20) {
                assertThat(r.body() + challenge).as("the token is never echoed").doesNotContain(authorization.substring(7));
            }
            Map<String, Object> log = gateway.accessLine(r);
            assertThat(log.get("status")).isEqualTo(401L);
            assertThat(log.get("target")).as(c.getKey() + ": no upstream was contacted").isNull();
        }
    }

    @Test
    void aValidTokenWithoutTheRouteRoleOrScopeIsForbidden() throws Exception {
        HttpResponse<String> noRole = withToken("/admin/users", hs256(claims().claim("roles", List.of("user")).build()));
        Problems.assertProblem(noRole, 403);
        assertThat(noRole.headers().firstValue("www-authenticate").orElse(""))
                .startsWith("Bearer realm=\"gateway\", error=\"insufficient_scope\"")
                .contains("needs one of the roles [admin]");
        assertThat(gateway.accessLine(noRole).get("target")).isNull();

        assertThat(withToken("/admin/users", hs256(claims().build())).statusCode()).isEqualTo(200);

        HttpResponse<String> readOnly = withToken("/orders/1", hs256(claims().claim("scope", "orders:read").build()));
        Problems.assertProblem(readOnly, 403);
        assertThat(readOnly.headers().firstValue("www-authenticate").orElse("")).contains("needs the scopes [orders:write]");
        HttpResponse<String> writer = withToken("/orders/1", hs256(claims().claim("scope", "orders:read orders:write")
                .build()));
        assertThat(writer.statusCode()).as(writer.body()).isEqualTo(200);
    }

    @Test
    void identityHeadersAClientSendsAreStrippedOnPublicAndProtectedRoutes() throws Exception {
        String[] spoofed = {"X-User-Id", "mallory", "x-user-roles", "admin", "X-Tenant", "evil", "X-Internal-Auth", "yes",
                "x-internal-trace", "1", "X-Debug", "on", "X-Other", "kept"};
        Map<String, Object> open = upstreamHeaders(get("/login", spoofed));
        assertThat(open).doesNotContainKeys("x-user-id", "x-user-roles", "x-tenant", "x-internal-auth",
                "x-internal-trace", "x-debug").containsEntry("x-other", "kept");

        // a token without roles or tenant: the client's values must not survive in their place
        String token = hs256(claims().claim("roles", null).build());
        Map<String, Object> protectedRoute = upstreamHeaders(withToken("/me", token, spoofed));
        assertThat(protectedRoute).containsEntry("x-user-id", "alice")
                .doesNotContainKeys("x-user-roles", "x-tenant", "x-internal-auth", "x-internal-trace", "x-debug")
                .containsEntry("x-other", "kept");
    }
}
