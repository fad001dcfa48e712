package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gateway.auth.Verification.Invalid;
import dev.gateway.auth.Verification.Valid;
import dev.gateway.config.JwtConfig;
import dev.gateway.config.KeyConfig;
import dev.gateway.observe.EventLog;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final String ISSUER = "https://issuer.test";

    private final MovableClock clock = new MovableClock(NOW);
    private final String secret = Tokens.secret(32);
    private final KeyConfig hmac = new KeyConfig.HmacSecret(secret, Optional.of("k1"));

    static JwtConfig config(List<KeyConfig> keys) {
        return new JwtConfig(Optional.of(ISSUER), List.of("api"), Duration.ofSeconds(30), keys, Map.of(), "roles",
                JwtConfig.DEFAULT_MAX_TOKEN_SIZE);
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience("api")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    private Verification verify(List<KeyConfig> keys, String token) {
        try (TokenVerifier verifier = new TokenVerifier(config(keys), clock, new EventLog(System.err))) {
            return verifier.verify(token);
        }
    }

    private Verification hs(JWTClaimsSet.Builder claims) {
        return verify(List.of(hmac), Tokens.hs256(secret, "k1", claims.build()));
    }

    private static String reason(Verification v) {
        assertThat(v).isInstanceOf(Invalid.class);
        return ((Invalid) v).description();
    }

    @Test
    void validHs256ReportsClaimsAsPlainValuesAndTheSecret() {
        Verification v = hs(claims().claim("roles", List.of("admin")).claim("org", Map.of("id", 7)));
        assertThat(v).isInstanceOf(Valid.class);
        Valid valid = (Valid) v;
        assertThat(valid.verifiedBy()).isEqualTo("hmac-secret (kid k1)");
        assertThat(valid.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(valid.claims()).containsEntry("sub", "alice").containsEntry("roles", List.of("admin"))
                .containsEntry("exp", NOW.plusSeconds(300).getEpochSecond())
                .containsEntry("iat", NOW.getEpochSecond());
        assertThat(valid.claims().get("org")).isEqualTo(Map.of("id", 7L));
        assertThat(valid.claims()).isUnmodifiable();
    }

    @Test
    void validRs256Es256AndEdDsaNameTheirKeyFiles() {
        KeyPair rsa = Tokens.rsa();
        KeyPair ec = Tokens.ec("secp256r1");
        KeyPair ed = Tokens.ed25519();
        List<KeyConfig> keys = List.of(
                new KeyConfig.PublicKeyFile(Path.of("keys/rsa.pem"), Tokens.pem(rsa.getPublic()), Optional.empty()),
                new KeyConfig.PublicKeyFile(Path.of("keys/ec.pem"), Tokens.pem(ec.getPublic()), Optional.of("e1")),
                new KeyConfig.PublicKeyFile(Path.of("keys/ed.pem"), Tokens.pem(ed.getPublic()), Optional.empty()));
        assertThat(((Valid) verify(keys, Tokens.rs256(rsa, null, claims().build()))).verifiedBy())
                .isEqualTo("public-key keys/rsa.pem RSA 2048-bit");
        assertThat(((Valid) verify(keys, Tokens.rsa(rsa, JWSAlgorithm.PS512, null, claims().build()))).verifiedBy())
                .isEqualTo("public-key keys/rsa.pem RSA 2048-bit");
        assertThat(((Valid) verify(keys, Tokens.es256(ec, "e1", claims().build()))).verifiedBy())
                .isEqualTo("public-key keys/ec.pem EC P-256 (kid e1)");
        assertThat(((Valid) verify(keys, Tokens.eddsa(ed, null, claims().build()))).verifiedBy())
                .isEqualTo("public-key keys/ed.pem Ed25519");
        assertThat(reason(verify(keys, Tokens.eddsa(Tokens.ed25519(), null, claims().build()))))
                .isEqualTo("signature does not match any configured key");
    }

    @Test
    void es384AndEs512NeedTheMatchingCurve() {
        KeyPair p384 = Tokens.ec("secp384r1");
        KeyPair p521 = Tokens.ec("secp521r1");
        List<KeyConfig> keys = List.of(
                new KeyConfig.PublicKeyFile(Path.of("p384.pem"), Tokens.pem(p384.getPublic()), Optional.empty()));
        String es384 = sign(p384, JWSAlgorithm.ES384);
        assertThat(verify(keys, es384)).isInstanceOf(Valid.class);
        assertThat(reason(verify(keys, sign(p521, JWSAlgorithm.ES512))))
                .isEqualTo("no configured key can verify ES512 tokens");
    }

    private static String sign(KeyPair ec, JWSAlgorithm alg) {
        try {
            var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(alg), claims().build());
            jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner((java.security.interfaces.ECPrivateKey) ec.getPrivate()));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void kidPicksTheKeyAndAnUnknownKidIsNamed() {
        String other = Tokens.secret(40);
        List<KeyConfig> keys = List.of(hmac, new KeyConfig.HmacSecret(other, Optional.of("k2")));
        assertThat(((Valid) verify(keys, Tokens.hs256(other, "k2", claims().build()))).verifiedBy())
                .isEqualTo("hmac-secret (kid k2)");
        assertThat(((Valid) verify(keys, Tokens.hs256(other, null, claims().build()))).verifiedBy())
                .as("without a kid every compatible key is tried").isEqualTo("hmac-secret (kid k2)");
        assertThat(reason(verify(keys, Tokens.hs256(secret, "k2", claims().build()))))
                .as("only the key with that kid is tried").isEqualTo("signature does not match any configured key");
        assertThat(reason(verify(keys, Tokens.hs256(secret, "k9", claims().build())))).isEqualTo("unknown key id 'k9'");
    }

    @Test
    void keysWithoutKidVerifyTokensWithAnyKidAndDuplicatesAreTellable() {
        String other = Tokens.secret(32);
        List<KeyConfig> keys = List.of(new KeyConfig.HmacSecret(secret, Optional.empty()),
                new KeyConfig.HmacSecret(other, Optional.empty()));
        assertThat(((Valid) verify(keys, Tokens.hs256(other, "whatever", claims().build()))).verifiedBy())
                .isEqualTo("hmac-secret (keys[1])");
        assertThat(reason(verify(keys, Tokens.hs256(Tokens.secret(32), "k9", claims().build()))))
                .isEqualTo("unknown key id 'k9', and no key without a kid matches the signature");
    }

    @Test
    void expOptionalButHonouredWithSkew() {
        assertThat(reason(hs(claims().expirationTime(Date.from(NOW.minusSeconds(300))))))
                .isEqualTo("token expired 5 minutes ago");
        assertThat(hs(claims().expirationTime(Date.from(NOW.minusSeconds(29))))).isInstanceOf(Valid.class);
        assertThat(reason(hs(claims().expirationTime(Date.from(NOW.minusSeconds(30))))))
                .isEqualTo("token expired 30 seconds ago");
        Verification noExp = hs(claims().expirationTime(null));
        assertThat(((Valid) noExp).expiresAt()).isNull();
    }

    @Test
    void nbfAndIatMayNotBeInTheFutureBeyondSkew() {
        assertThat(hs(claims().notBeforeTime(Date.from(NOW.plusSeconds(30))))).isInstanceOf(Valid.class);
        assertThat(reason(hs(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))))))
                .isEqualTo("token is not valid yet (nbf is 31 seconds from now)");
        assertThat(hs(claims().issueTime(Date.from(NOW.plusSeconds(30))))).isInstanceOf(Valid.class);
        assertThat(reason(hs(claims().issueTime(Date.from(NOW.plusSeconds(3600))))))
                .isEqualTo("token is issued in the future (iat is 60 minutes from now)");
    }

    @Test
    void theSameTokenExpiresAsTheClockMoves() {
        String token = Tokens.hs256(secret, "k1", claims().build());
        try (TokenVerifier verifier = new TokenVerifier(config(List.of(hmac)), clock, new EventLog(System.err))) {
            assertThat(verifier.verify(token)).isInstanceOf(Valid.class);
            clock.advance(Duration.ofSeconds(329));
            assertThat(verifier.verify(token)).isInstanceOf(Valid.class);
            clock.advance(Duration.ofSeconds(1));
            assertThat(reason(verifier.verify(token))).isEqualTo("token expired 30 seconds ago");
        }
    }

    @Test
    void aVerifiedTokenIsRememberedForAMinuteAtMostAndAnInvalidOneNever() {
        String token = Tokens.hs256(secret, "k1", claims().build());
        String forged = Tokens.hs256(Tokens.secret(32), "k1", claims().build());
        try (TokenVerifier verifier = new TokenVerifier(config(List.of(hmac)), clock, new EventLog(System.err))) {
            Verification first = verifier.verify(token);
            assertThat(verifier.verify(token)).as("remembered").isSameAs(first);
            clock.advance(VerifiedTokens.TTL);
            Verification later = verifier.verify(token);
            assertThat(later).as("checked again after a minute").isInstanceOf(Valid.class).isNotSameAs(first);
            assertThat(reason(verifier.verify(forged))).isEqualTo("signature does not match any configured key");
            assertThat(reason(verifier.verify(forged))).isEqualTo("signature does not match any configured key");
        }
    }

    @Test
    void issuerMustMatchExactlyAndAudienceMustOverlap() {
        assertThat(reason(hs(claims().issuer(ISSUER + "/")))).isEqualTo(
                "token issuer 'https://issuer.test/' is not the expected 'https://issuer.test'");
        assertThat(reason(hs(claims().issuer(null)))).isEqualTo("token has no issuer (expected 'https://issuer.test')");
        assertThat(reason(hs(claims().audience("other")))).isEqualTo("token audience ['other'] includes none of [api]");
        assertThat(reason(hs(claims().audience((String) null)))).isEqualTo("token has no audience (expected one of [api])");
        assertThat(hs(claims().audience(List.of("other", "api")))).isInstanceOf(Valid.class);
        JwtConfig open = new JwtConfig(Optional.empty(), List.of(), Duration.ZERO, List.of(hmac), Map.of(), "roles", 8192);
        try (TokenVerifier verifier = new TokenVerifier(open, clock, new EventLog(System.err))) {
            assertThat(verifier.verify(Tokens.hs256(secret, null, claims().issuer("x").audience("y").build())))
                    .isInstanceOf(Valid.class);
        }
    }

    @Test
    void badSignaturesAndTamperedPayloadsAreRefused() {
        assertThat(reason(verify(List.of(hmac), Tokens.hs256(Tokens.secret(32), "k1", claims().build()))))
                .isEqualTo("signature does not match any configured key");
        String[] parts = Tokens.hs256(secret, "k1", claims().build()).split("\\.");
        String forged = parts[0] + "." + Tokens.encode(claims().subject("root").build().toString()) + "." + parts[2];
        assertThat(reason(verify(List.of(hmac), forged))).isEqualTo("signature does not match any configured key");
    }

    @Test
    void algNoneIsRefusedWhateverItsSpelling() {
        String payload = Tokens.encode(claims().build().toString());
        for (String alg : List.of("none", "None", "NONE")) {
            String token = Tokens.encode("{\"alg\":\"" + alg + "\"}") + "." + payload + ".";
            assertThat(reason(verify(List.of(hmac), token))).isEqualTo("algorithm none is not allowed");
        }
    }

    @Test
    void hmacWithAnRsaPublicKeysBytesIsNeverAccepted() {
        KeyPair rsa = Tokens.rsa();
        String pem = Tokens.pem(rsa.getPublic());
        List<KeyConfig> keys = List.of(new KeyConfig.PublicKeyFile(Path.of("rsa.pem"), pem, Optional.empty()));
        for (byte[] forgedSecret : List.of(rsa.getPublic().getEncoded(), pem.getBytes(StandardCharsets.UTF_8))) {
            String token = Tokens.hmac(forgedSecret, JWSAlgorithm.HS256, null, claims().build());
            assertThat(reason(verify(keys, token))).isEqualTo("no configured key can verify HS256 tokens");
        }
    }

    @Test
    void hs512NeedsASecretAsLongAsItsHash() {
        String longSecret = Tokens.secret(64);
        List<KeyConfig> keys = List.of(hmac, new KeyConfig.HmacSecret(longSecret, Optional.of("long")));
        byte[] shortBytes = secret.getBytes(StandardCharsets.UTF_8);
        byte[] longBytes = longSecret.getBytes(StandardCharsets.UTF_8);
        assertThat(verify(keys, Tokens.hmac(longBytes, JWSAlgorithm.HS512, "long", claims().build())))
                .isInstanceOf(Valid.class);
        assertThat(reason(verify(keys, Tokens.hmac(longBytes, JWSAlgorithm.HS512, "k1", claims().build()))))
                .isEqualTo("no configured key can verify HS512 tokens with key id 'k1'");
        assertThat(shortBytes).hasSize(32);
    }

    @Test
    void unknownCriticalHeadersAndUnsupportedAlgorithmsAreRefused() {
        String payload = claims().build().toString();
        String crit = Tokens.rawHmac("{\"alg\":\"HS256\",\"crit\":[\"x-policy\"],\"x-policy\":1}", payload, secret);
        assertThat(reason(verify(List.of(hmac), crit))).isEqualTo("unsupported critical header 'x-policy'");
        String hs1 = Tokens.rawHmac("{\"alg\":\"HS1\"}", payload, secret);
        assertThat(reason(verify(List.of(hmac), hs1))).isEqualTo("algorithm 'HS1' is not supported");
    }

    @Test
    void oversizeTokensAreRefusedBeforeParsing() {
        String big = Tokens.hs256(secret, "k1", claims().claim("pad", "x".repeat(9000)).build());
        assertThat(reason(verify(List.of(hmac), big))).isEqualTo("token is larger than the 8192-byte limit");
        assertThat(reason(verify(List.of(hmac), "!".repeat(10_000))))
                .isEqualTo("token is larger than the 8192-byte limit");
    }

    @Test
    void garbageIsMalformedAndNeverEchoed() {
        String e30 = Tokens.encode("{}");
        Map<String, String> cases = Map.of(
                "", "no token",
                "abc", "malformed token: expected three dot-separated parts, found 1",
                "a.b.c.d", "malformed token: expected three dot-separated parts, found 4",
                "secret!.e30.sig", "malformed token: a part is not base64url",
                Tokens.encode("not json") + "." + e30 + ".c2ln", "malformed token: header is not a JSON object",
                Tokens.encode("{\"typ\":\"JWT\"}") + "." + e30 + ".c2ln", "malformed token: header has no alg",
                Tokens.encode("{\"alg\":\"HS256\"}") + "." + Tokens.encode("[1]") + ".c2ln",
                "malformed token: payload is not a valid JWT claims set",
                Tokens.encode("{\"alg\":\"HS256\"}") + "." + Tokens.encode("{\"exp\":\"soon\"}") + ".c2ln",
                "malformed token: payload is not a valid JWT claims set",
                Tokens.encode("{\"alg\":\"HS256\"}") + "." + e30 + ".", "token is not signed",
                "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", "encrypted tokens (JWE) are not accepted");
        cases.forEach((token, expected) -> assertThat(reason(verify(List.of(hmac), token))).as(token).isEqualTo(expected));
        assertThat(reason(verify(List.of(hmac), null))).isEqualTo("no token");
        String jweHeaderOnly = Tokens.encode("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}") + "." + e30 + ".c2ln";
        assertThat(reason(verify(List.of(hmac), jweHeaderOnly))).isEqualTo("encrypted tokens (JWE) are not accepted");
    }

    @Test
    void describeKeysNeverShowsTheSecret() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KeyPair rsa = Tokens.rsa();
        List<KeyConfig> keys = List.of(hmac,
                new KeyConfig.PublicKeyFile(Path.of("keys/a.pem"), Tokens.pem(rsa.getPublic()), Optional.of("r1")));
        try (TokenVerifier verifier = new TokenVerifier(config(keys), clock, new EventLog(new PrintStream(log)))) {
            assertThat(verifier.describeKeys())
                    .containsExactly("hmac-secret (kid k1)", "public-key keys/a.pem RSA 2048-bit (kid r1)");
            assertThat(String.join("\n", verifier.describeKeys())).doesNotContain(secret);
        }
        assertThat(log.toString()).isEmpty();
    }
}
