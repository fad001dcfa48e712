package dev.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.MACProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * One key a signature may be checked with: how it is described, its optional kid and the only algorithms it may
 * verify. Binding algorithms to the key type is what stops algorithm confusion (an HS256 token "signed" with an RSA
 * public key's bytes never reaches an HMAC check, because RSA keys carry no HS algorithm).
 */
record VerificationKey(String description, Optional<String> kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {
    static final int MIN_HMAC_BYTES = 32;
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    // X.509 SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 key (RFC 8410)
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    VerificationKey {
        algorithms = Set.copyOf(algorithms);
    }

    /** An HMAC secret: its UTF-8 bytes; HS384/HS512 only when it is as long as their hash (RFC 7518 3.2). */
    static VerificationKey hmac(String secret, Optional<String> kid) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException("HMAC secret is " + bytes.length + " bytes; at least "
                    + MIN_HMAC_BYTES + " are required (use a random secret, e.g. `openssl rand -base64 32`)");
        }
        try {
            return new VerificationKey("hmac-secret" + kidSuffix(kid), kid,
                    MACProvider.getCompatibleAlgorithms(bytes.length * 8), new MACVerifier(bytes));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("HMAC secret is unusable: " + e.getMessage());
        }
    }

    /** A public key from PEM or JWKS, limited to {@code only} (a JWK's {@code alg}) when that is present. */
    static VerificationKey publicKey(PublicKey key, String description, Optional<String> kid,
                                     Optional<JWSAlgorithm> only) {
        Set<JWSAlgorithm> algorithms = new HashSet<>(switch (key) {
            case RSAPublicKey rsa -> RSA;
            case ECPublicKey ec -> Set.of(ecAlgorithm(Curve.forECParameterSpec(ec.getParams())));
            default -> Ed25519Verifier.ALGORITHMS;
        });
        only.ifPresent(alg -> algorithms.retainAll(Set.of(alg)));
        try {
            JWSVerifier verifier = switch (key) {
                case RSAPublicKey rsa -> new RSASSAVerifier(rsa);
                case ECPublicKey ec -> new ECDSAVerifier(ec);
                default -> new Ed25519Verifier(key);
            };
            return new VerificationKey(description + kidSuffix(kid), kid, algorithms, verifier);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("public key is unusable: " + e.getMessage());
        }
    }

    /** A JWKS entry as a key, or empty when it cannot verify signatures (encryption, symmetric, weak, odd curve). */
    static Optional<VerificationKey> fromJwk(JWK jwk, String source) {
        if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())
                || (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY))) {
            return Optional.empty();
        }
        try {
            PublicKey key = switch (jwk) {
                case RSAKey rsa -> rsa.toRSAPublicKey();
                case ECKey ec -> ec.toECPublicKey();
                case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> ed25519(okp.getX().decode());
                default -> null;
            };
            if (key == null) {
                return Optional.empty();
            }
            Optional<String> kid = Optional.ofNullable(jwk.getKeyID());
            String description = kid.isPresent() ? source : source + " (" + PemKeys.describe(key) + " key)";
            Optional<JWSAlgorithm> only = Optional.ofNullable(jwk.getAlgorithm())
                    .map(alg -> JWSAlgorithm.parse(alg.getName()));
            VerificationKey vk = publicKey(PemKeys.checked(key), description, kid, only);
            return vk.algorithms.isEmpty() ? Optional.empty() : Optional.of(vk);
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether this key may check a token with {@code alg} and {@code tokenKid}: a kid-less key matches any kid. */
    boolean mayVerify(JWSAlgorithm alg, Optional<String> tokenKid) {
        return algorithms.contains(alg) && (kid.isEmpty() || tokenKid.isEmpty() || kid.equals(tokenKid));
    }

    /** The one JWS algorithm of an EC curve; IllegalArgumentException for a curve JWS has none for. */
    static JWSAlgorithm ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) return JWSAlgorithm.ES256;
        if (Curve.P_384.equals(curve)) return JWSAlgorithm.ES384;
        if (Curve.P_521.equals(curve)) return JWSAlgorithm.ES512;
        throw new IllegalArgumentException("unsupported EC curve " + curve);
    }

    private static PublicKey ed25519(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("Ed25519 key must be 32 bytes");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static String kidSuffix(Optional<String> kid) {
        return kid.map(k -> " (kid " + k + ")").orElse("");
    }
}
