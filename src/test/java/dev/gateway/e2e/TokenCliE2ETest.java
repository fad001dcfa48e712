package dev.gateway.e2e;

import static dev.gateway.e2e.TokenTestOutput.keys;
import static dev.gateway.e2e.TokenTestOutput.verdicts;
import static dev.gateway.e2e.TokenTestOutput.verifiedBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.JwksServer;
import dev.gateway.auth.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway token-sign} and {@code gateway token-test} through the real CLI in child JVMs, with real keys in a
 * temp dir: HMAC and RSA/EC/Ed25519 private keys signing, verification as serve does it (JWKS fetched), per-route
 * verdicts, exit codes, friendly errors, and no secret in any output.
 */
class TokenCliE2ETest {
    private static final String ISSUER = "https://auth.test";
    private static final String AUDIENCE = "gateway-tests";
    // generated once: RSA key generation is the slow part and every test may use any key
    private static final KeyPair RSA = Tokens.rsa();
    private static final KeyPair EC = Tokens.ec("secp256r1");
    private static final KeyPair ED = Tokens.ed25519();

    @TempDir
    Path dir;

    private final String secret = "s3cret-" + Tokens.secret(40);
    /** Every run's stdout and stderr are checked for each of these. */
    private final List<String> secrets = new ArrayList<>(List.of(secret));
    private Path config;

    private record Run(int code, String out, String err) {
        String all() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeEach
    void writeConfig() throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Files.writeString(keys.resolve("rsa.pub.pem"), Tokens.pem(RSA.getPublic()));
        Files.writeString(keys.resolve("ec.pub.pem"), Tokens.pem(EC.getPublic()));
        Files.writeString(keys.resolve("ed.pub.pem"), Tokens.pem(ED.getPublic()));
        Files.writeString(keys.resolve("rsa.pem"), Tokens.privatePem(RSA.getPrivate()));
        Files.writeString(keys.resolve("ec.pem"), Tokens.privatePem(EC.getPrivate()));
        Files.writeString(keys.resolve("ed.pem"), Tokens.privatePem(ED.getPrivate()));
        config = Files.writeString(dir.resolve("gateway.yaml"), """
                jwt:
                  issuer: %s
                  audiences: [ %s ]
                  clock-skew: 10s
                  keys:
                    - { hmac-secret: "%s", kid: hs-1 }
                    - { public-key: keys/rsa.pub.pem, kid: rsa-1 }
                    - { public-key: keys/ec.pub.pem, kid: ec-1 }
                    - { public-key: keys/ed.pub.pem, kid: ed-1 }
                  forward-claims: { sub: X-User-Id, roles: X-User-Roles }
                upstreams:
                  app: { targets: [ "http://127.0.0.1:9" ] }
                routes:
                  - { name: login, path: /api/login, upstream: app, auth: public }
                  - { name: users, path: /api/users/**, upstream: app }
                  - name: partner
                    path: /api/users/**
                    host: partner.example.com
                    headers: { X-Tenant: acme }
                    upstream: app
                    auth: { roles: [ partner ] }
                  - { name: admin, path: /api/admin/**, upstream: app, auth: { roles: [ admin ] } }
                """.formatted(ISSUER, AUDIENCE, secret));
    }

    @Test
    void anHmacTokenFromTokenSignIsPipedIntoTokenTest() throws Exception {
        Run sign = gateway(null, "token-sign", "--config", config.toString(), "--sub", "alice",
                "--claim", "roles=viewer", "--ttl", "1h");
        assertThat(sign.code()).as(sign.all()).isZero();
        assertThat(sign.out()).as("only the token, on one line").matches(CompactJwt.SHAPE.pattern() + "\\R");
        assertThat(sign.err()).isEmpty();
        CompactJwt token = CompactJwt.parse(sign.out().strip());
        assertThat(token.header()).containsEntry("alg", "HS256").containsEntry("kid", "hs-1");
        Map<String, Object> claims = token.payload();
        assertThat(claims).containsEntry("sub", "alice").containsEntry("roles", "viewer")
                .containsEntry("iss", ISSUER).containsEntry("aud", AUDIENCE);
        assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(3600);

        Run test = gateway(sign.out(), "token-test", "--config", config.toString(), "--token", "-");
        assertThat(test.code()).as(test.all()).isZero();
        assertThat(test.out()).contains("token:    valid\n", "verified: by hmac-secret (kid hs-1)\n",
                "  sub: \"alice\"\n", "  roles: \"viewer\"\n", "  iss: \"" + ISSUER + "\"\n");
        Matcher expires = Pattern.compile("(?m)^expires: +(\\S+) \\(in (59|60) minutes\\)$").matcher(test.out());
        assertThat(expires.find()).as(test.out()).isTrue();
        assertThat(Instant.parse(expires.group(1))).isEqualTo(Instant.ofEpochSecond((Long) claims.get("exp")));
        assertThat(verdicts(test.out())).containsExactly(
                Map.entry("login", "accepted (auth: public, no token needed)"),
                Map.entry("users", "accepted; sends X-User-Id: alice, X-User-Roles: viewer"),
                Map.entry("partner", "REFUSED: 403 this route needs one of the roles [partner]"),
                Map.entry("admin", "REFUSED: 403 this route needs one of the roles [admin]"));
        assertThat(test.out() + test.err()).doesNotContain(token.signature());
    }

    @Test
    void privateKeysOfEachTypeSignAndTheirConfiguredPublicHalvesVerify() throws Exception {
        Path keys = dir.resolve("keys");
        String cfg = config.toString();
        List<Run> signed = parallel(
                () -> gateway(null, "token-sign", "--config", cfg, "--key", keys.resolve("rsa.pem").toString(),
                        "--kid", "rsa-1", "--sub", "bob", "--claim", "roles=[\"admin\",\"ops\"]"),
                () -> gateway(null, "token-sign", "--config", cfg, "--key", keys.resolve("ec.pem").toString(),
                        "--kid", "ec-1", "--sub", "carol"),
                // no --kid: the verifier must find the key by algorithm and signature alone
                () -> gateway(null, "token-sign", "--config", cfg, "--key", keys.resolve("ed.pem").toString(),
                        "--sub", "dave"));
        for (Run r : signed) {
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).matches(CompactJwt.SHAPE.pattern() + "\\R");
        }
        String rsa = signed.get(0).out().strip();
        String ec = signed.get(1).out().strip();
        String ed = signed.get(2).out().strip();
        assertThat(CompactJwt.parse(rsa).header()).containsEntry("alg", "RS256").containsEntry("kid", "rsa-1");
        assertThat(CompactJwt.parse(ec).header()).containsEntry("alg", "ES256").containsEntry("kid", "ec-1");
        assertThat(CompactJwt.parse(ed).header()).containsEntry("alg", "EdDSA").doesNotContainKey("kid");
        assertThat(CompactJwt.parse(rsa).payload()).containsEntry("roles", List.of("admin", "ops")).containsEntry("iss", ISSUER)
                .containsEntry("aud", AUDIENCE);

        Path file = Files.writeString(dir.resolve("rsa.jwt"), signed.get(0).out());
        List<Run> tested = parallel(
                () -> gateway(null, "token-test", "--config", cfg, "--token", "@" + file, "--route", "admin"),
                () -> gateway(null, "token-test", "--config", cfg, "--token", ec),
                () -> gateway(null, "token-test", "--config", cfg, "--token", ed));
        Run byRsa = tested.get(0);
        assertThat(byRsa.code()).as(byRsa.all()).isZero();
        assertThat(verifiedBy(byRsa.out())).matches("public-key \\S*keys/rsa\\.pub\\.pem RSA 2048-bit \\(kid rsa-1\\)");
        assertThat(byRsa.out()).contains("  sub: \"bob\"\n", "  roles: [\"admin\",\"ops\"]\n", "\nroute:\n");
        assertThat(verdicts(byRsa.out())).containsExactly(
                Map.entry("admin", "accepted; sends X-User-Id: bob, X-User-Roles: admin,ops"));

        Run byEc = tested.get(1);
        assertThat(byEc.code()).as(byEc.all()).isZero();
        assertThat(verifiedBy(byEc.out())).matches("public-key \\S*keys/ec\\.pub\\.pem EC P-256 \\(kid ec-1\\)");
        assertThat(verdicts(byEc.out())).containsEntry("users", "accepted; sends X-User-Id: carol")
                .containsEntry("admin", "REFUSED: 403 this route needs one of the roles [admin]");

        Run byEd = tested.get(2);
        assertThat(byEd.code()).as(byEd.all()).isZero();
        assertThat(verifiedBy(byEd.out())).matches("public-key \\S*keys/ed\\.pub\\.pem Ed25519 \\(kid ed-1\\)");
        assertThat(verdicts(byEd.out())).containsEntry("users", "accepted; sends X-User-Id: dave");
    }

    @Test
    void aForeignOrExpiredTokenExitsOneSayingWhyAndListsTheKeys() throws Exception {
        String other = "other-" + Tokens.secret(40);
        secrets.add(other);
        String foreign = Tokens.hs256(other, null, claims("mallory").build());
        Instant now = Instant.now();
        String expired = Tokens.hs256(secret, "hs-1", claims("alice").issueTime(Date.from(now.minusSeconds(3900)))
                .expirationTime(Date.from(now.minusSeconds(300))).build());
        String cfg = config.toString();
        List<Run> runs = parallel(() -> gateway(null, "token-test", "--config", cfg, "--token", foreign),
                () -> gateway(null, "token-test", "--config", cfg, "--token", expired));

        Run bad = runs.get(0);
        assertThat(bad.code()).as(bad.all()).isEqualTo(1);
        assertThat(bad.out()).contains("token:    INVALID: signature does not match any configured key\n")
                .doesNotContain("verified:", "mallory");
        assertThat(keys(bad.out())).hasSize(4).satisfiesExactly(
                k -> assertThat(k).isEqualTo("hmac-secret (kid hs-1)"),
                k -> assertThat(k).matches("public-key \\S*keys/rsa\\.pub\\.pem RSA 2048-bit \\(kid rsa-1\\)"),
                k -> assertThat(k).matches("public-key \\S*keys/ec\\.pub\\.pem EC P-256 \\(kid ec-1\\)"),
                k -> assertThat(k).matches("public-key \\S*keys/ed\\.pub\\.pem Ed25519 \\(kid ed-1\\)"));
        assertThat(verdicts(bad.out())).containsEntry("login", "accepted (auth: public, no token needed)")
                .containsEntry("users", "REFUSED: 401 signature does not match any configured key");

        Run old = runs.get(1);
        assertThat(old.code()).as(old.all()).isEqualTo(1);
        assertThat(old.out()).contains("token:    INVALID: token expired 5 minutes ago\n", "keys:\n");
        assertThat(verdicts(old.out())).containsEntry("users", "REFUSED: 401 token expired 5 minutes ago")
                .containsEntry("admin", "REFUSED: 401 token expired 5 minutes ago");
    }

    @Test
    void routeAndMatchJudgeOnlyTheRouteThatWouldServe() throws Exception {
        String alice = Tokens.hs256(secret, "hs-1", claims("alice").claim("roles", List.of("viewer")).build());
        String admin = Tokens.hs256(secret, "hs-1", claims("root").claim("roles", List.of("admin")).build());
        String cfg = config.toString();
        List<Run> runs = parallel(
                () -> gateway(null, "token-test", "--config", cfg, "--token", alice, "--route", "admin"),
                () -> gateway(null, "token-test", "--config", cfg, "--token", alice, "--match", "GET /api/users/42"),
                () -> gateway(null, "token-test", "--config", cfg, "--token", alice, "--match", "GET /api/users/42",
                        "--host", "partner.example.com", "--header", "X-Tenant=acme"),
                () -> gateway(null, "token-test", "--config", cfg, "--token", admin, "--match", "DELETE /api/admin/x"),
                () -> gateway(null, "token-test", "--config", cfg, "--token", admin, "--match", "GET /nowhere"));

        Run lacking = runs.get(0);
        assertThat(lacking.code()).as(lacking.all()).isEqualTo(1);
        assertThat(lacking.out()).contains("token:    valid\n", "\nroute:\n");
        assertThat(verdicts(lacking.out())).containsExactly(
                Map.entry("admin", "REFUSED: 403 this route needs one of the roles [admin]"));

        Run users = runs.get(1);
        assertThat(users.code()).as(users.all()).isZero();
        assertThat(verdicts(users.out())).containsExactly(
                Map.entry("users", "accepted; sends X-User-Id: alice, X-User-Roles: viewer"));

        Run partner = runs.get(2);
        assertThat(partner.code()).as(partner.all()).isEqualTo(1);
        assertThat(verdicts(partner.out())).containsExactly(
                Map.entry("partner", "REFUSED: 403 this route needs one of the roles [partner]"));

        Run root = runs.get(3);
        assertThat(root.code()).as(root.all()).isZero();
        assertThat(verdicts(root.out())).containsExactly(
                Map.entry("admin", "accepted; sends X-User-Id: root, X-User-Roles: admin"));

        Run nowhere = runs.get(4);
        assertThat(nowhere.code()).as(nowhere.all()).isEqualTo(1);
        assertThat(nowhere.out()).contains("token:    valid\n", "GET /nowhere: 404 Not Found")
                .doesNotContain("route:", "routes:");
    }

    @Test
    void aKeyServedByJwksVerifiesBecauseTokenTestFetchesAsServeDoes() throws Exception {
        try (JwksServer jwks = new JwksServer()) {
            jwks.serve(List.of(new ECKey.Builder(Curve.P_256, (ECPublicKey) EC.getPublic()).keyID("jwks-1").build()));
            Path cfg = jwksConfig(jwks);
            String token = Tokens.es256(EC, "jwks-1", new JWTClaimsSet.Builder().subject("erin")
                    .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());

            Run r = gateway(null, "token-test", "--config", cfg.toString(), "--token", token);
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(verifiedBy(r.out())).isEqualTo("jwks " + jwks.url() + " (kid jwks-1)");
            assertThat(r.out()).contains("  sub: \"erin\"\n");
            assertThat(verdicts(r.out())).containsExactly(Map.entry("users", "accepted; sends X-User-Id: erin"));
            assertThat(r.err()).doesNotContain("warning");
            assertThat(jwks.fetches()).isPositive();
        }
    }

    @Test
    void errorsAreFriendlyAndLocated() throws Exception {
        RSAPrivateKey rsa = (RSAPrivateKey) RSA.getPrivate();
        secrets.add(Pkcs1Pem.body(rsa).lines().findFirst().orElseThrow()); // the key is never echoed
        Path pkcs1 = Files.writeString(dir.resolve("keys/rsa.pkcs1.pem"), Pkcs1Pem.pem(rsa));
        Path noHmac;
        try (JwksServer unused = new JwksServer()) {
            noHmac = jwksConfig(unused); // token-sign only reads the file: it never fetches
        }
        String tiny = "tiny-s3cret-x9";
        secrets.add(tiny);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                jwt:
                  isuer: https://auth.test
                  keys:
                    - { hmac-secret: "%s" }
                upstreams:
                  app: { targets: [ "http://127.0.0.1:9" ] }
                routes:
                  - { name: users, path: /api/users/**, upstream: app }
                """.formatted(tiny));
        String token = Tokens.hs256(secret, "hs-1", claims("alice").build());
        Path pkcs8 = dir.resolve("keys/rsa.pem");
        Path missing = dir.resolve("missing.yaml");
        List<Run> runs = parallel(
                () -> gateway(null, "token-sign", "--config", config.toString(), "--key", pkcs1.toString(), "--sub", "x"),
                () -> gateway(null, "token-sign", "--config", noHmac.toString(), "--sub", "x"),
                () -> gateway(null, "token-test", "--config", bad.toString(), "--token", token),
                () -> gateway(null, "token-sign", "--config", config.toString(), "--claim", "exp=soon"),
                () -> gateway(null, "token-sign", "--config", missing.toString(), "--key", pkcs8.toString()),
                () -> gateway(null, "token-test", "--config", config.toString(), "--token", token, "--route", "nope"));

        Run traditional = runs.get(0);
        assertThat(traditional.code()).as(traditional.all()).isEqualTo(1);
        assertThat(traditional.out()).isEmpty();
        assertThat(traditional.err()).contains(pkcs1.toString(), "RSA PRIVATE KEY", "PKCS#1", "PKCS#8",
                "openssl pkcs8 -topk8 -nocrypt").doesNotContain("Exception", "\tat ");

        Run unsigned = runs.get(1);
        assertThat(unsigned.code()).as(unsigned.all()).isEqualTo(1);
        assertThat(unsigned.out()).isEmpty();
        assertThat(unsigned.err()).contains(noHmac.toString(), "no hmac-secret", "--key")
                .doesNotContain("Exception", "\tat ");

        Run invalid = runs.get(2);
        assertThat(invalid.code()).as(invalid.all()).isEqualTo(1);
        assertThat(invalid.out()).doesNotContain("token:");
        assertThat(invalid.err().lines().toList()).contains(
                bad + ":2:3: error: jwt: unknown key 'isuer' (did you mean 'issuer'?)",
                bad + ":4:22: error: jwt.keys[0].hmac-secret: hmac-secret must be at least 32 bytes (got 14)");
        assertThat(invalid.err()).doesNotContain("Exception", "\tat ");

        Run badTime = runs.get(3);
        assertThat(badTime.code()).as(badTime.all()).isEqualTo(2);
        assertThat(badTime.out()).isEmpty();
        assertThat(badTime.err()).contains("--claim exp: must be a time in epoch seconds").doesNotContain("\tat ");

        Run missingConfig = runs.get(4);
        assertThat(missingConfig.code()).as("an explicit --config is read even with --key: %s", missingConfig.all())
                .isEqualTo(1);
        assertThat(missingConfig.out()).isEmpty();
        assertThat(missingConfig.err()).contains("missing.yaml");

        Run unknownRoute = runs.get(5);
        assertThat(unknownRoute.code()).as(unknownRoute.all()).isEqualTo(2);
        assertThat(unknownRoute.out()).as("a usage error comes before any report").doesNotContain("token:");
        assertThat(unknownRoute.err()).contains("--route: no route named 'nope'");
    }

    @Test
    void helpOfBothCommandsExitsZeroWithExamples() throws Exception {
        List<Run> runs = parallel(() -> gateway(null, "token-test", "--help"),
                () -> gateway(null, "token-sign", "--help"));
        Run test = runs.get(0);
        assertThat(test.code()).as(test.all()).isZero();
        // picocli wraps the footer at 80 columns, so compare with whitespace runs collapsed
        assertThat(oneLine(test.out())).contains("Usage: gateway token-test", "--token=JWT|@FILE|-", "--route",
                "--match", "Exit codes: 0 valid (with --route/--match: accepted there), 1 not, 2 usage error.",
                "Examples:", "gateway token-test --config gateway.yaml --token @token.txt --route admin",
                "gateway token-sign --sub alice | gateway token-test --token - --match \"GET /api/v1/users/me\"");
        Run sign = runs.get(1);
        assertThat(sign.code()).as(sign.all()).isZero();
        assertThat(oneLine(sign.out())).contains("Usage: gateway token-sign", "--key=PRIVATE_KEY.pem", "--ttl",
                "Examples:", "gateway token-sign --config gateway.yaml --sub alice --claim roles=admin --ttl 1h",
                "gateway token-sign --key keys/auth-rsa.pem --kid rsa-1 --sub bob --claim 'roles=[\"ops\",\"dev\"]'");
    }

    /** A config whose only key is {@code jwks}'s URL: no hmac-secret, no issuer, no audience. */
    private Path jwksConfig(JwksServer jwks) throws IOException {
        return Files.writeString(dir.resolve("jwks.yaml"), """
                jwt:
                  keys: [ { jwks-url: "%s" } ]
                  forward-claims: { sub: X-User-Id }
                upstreams:
                  app: { targets: [ "http://127.0.0.1:9" ] }
                routes:
                  - { name: users, path: /api/users/**, upstream: app }
                """.formatted(jwks.url()));
    }

    private static JWTClaimsSet.Builder claims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(sub).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    /**
     * {@code gateway ARGS...} in a child JVM; {@code stdin} (when not null) is its whole standard input, closed after.
     * Fails when any stdout or stderr holds a secret.
     */
    private Run gateway(String stdin, String... args) throws IOException, InterruptedException {
        Run r;
        if (stdin == null) {
            GatewayProcess.Finished f = GatewayProcess.run(dir, args);
            r = new Run(f.exitCode(), f.stdout(), f.stderr());
        } else {
            r = withStdin(stdin, args);
        }
        for (String s : secrets) {
            assertThat(r.out() + r.err()).as("a secret in the output of %s", List.of(args)).doesNotContain(s);
        }
        return r;
    }

    /** As GatewayProcess.run, but with standard input read from a file (GatewayProcess leaves it an open pipe). */
    private Run withStdin(String stdin, String... args) throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.gateway.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("AUTH_URL");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("gateway " + List.of(args) + " did not exit within 60s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs independent child JVMs side by side, as many at once as there are cores; results in argument order. */
    @SafeVarargs
    private static List<Run> parallel(Callable<Run>... runs) throws Exception {
        int width = Math.max(1, Math.min(runs.length, Runtime.getRuntime().availableProcessors()));
        try (ExecutorService pool = Executors.newFixedThreadPool(width)) {
            List<Future<Run>> futures = pool.invokeAll(List.of(runs));
            List<Run> done = new ArrayList<>();
            for (Future<Run> f : futures) {
                try {
                    done.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) throw error; // an assertion failed inside gateway()
                    throw e;
                }
            }
            return done;
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
