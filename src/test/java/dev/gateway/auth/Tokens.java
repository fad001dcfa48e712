package dev.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Real keys and real signed tokens for the auth tests: nimbus for HS/RS/ES, the JDK for EdDSA. */
public final class Tokens {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    public static KeyPair rsa() {
        return generate("RSA", 2048);
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        return generate("Ed25519", 0);
    }

    /** A random printable secret of {@code bytes} UTF-8 bytes. */
    public static String secret(int bytes) {
        byte[] raw = new byte[bytes / 2 + 1];
        new SecureRandom().nextBytes(raw);
        return HexFormat.of().formatHex(raw).substring(0, bytes);
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The unencrypted PKCS#8 PEM of a private key, as `openssl genpkey` writes it. */
    public static String privatePem(java.security.PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    public static String hmac(byte[] secret, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(secret), alg, kid, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(String secret, String kid, JWTClaimsSet claims) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8), JWSAlgorithm.HS256, kid, claims);
    }

    public static String rs256(KeyPair keys, String kid, JWTClaimsSet claims) {
        return rsa(keys, JWSAlgorithm.RS256, kid, claims);
    }

    public static String rsa(KeyPair keys, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        return sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()), alg, kid, claims);
    }

    public static String es256(KeyPair keys, String kid, JWTClaimsSet claims) {
        try {
            return sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()), JWSAlgorithm.ES256, kid, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EdDSA by hand: nimbus's Ed25519Signer needs Tink. */
    public static String eddsa(KeyPair keys, String kid, JWTClaimsSet claims) {
        String header = "{\"alg\":\"EdDSA\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
        String input = encode(header) + "." + encode(claims.toString());
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(keys.getPrivate());
            ed.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL.encodeToString(ed.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with a hand-written header, HMAC-signed, for headers nimbus would not build (crit, none, odd alg). */
    public static String rawHmac(String headerJson, String payloadJson, String secret) {
        String input = encode(headerJson) + "." + encode(payloadJson);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) g.initialize(size);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
