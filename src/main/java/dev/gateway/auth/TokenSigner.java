package dev.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs test tokens for {@code gateway token-sign}: with an HMAC secret (HS256) or a PKCS#8 PEM private key (RSA as
 * RS256, EC as ES256/384/512 by curve, Ed25519 as EdDSA). For local testing and demos; immutable.
 */
public final class TokenSigner {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer; // null for Ed25519, which the JDK signs
    private final PrivateKey edKey;
    private final Optional<String> kid;

    private TokenSigner(JWSAlgorithm algorithm, JWSSigner signer, PrivateKey edKey, Optional<String> kid) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.edKey = edKey;
        this.kid = kid;
    }

    /** HS256 with the secret's UTF-8 bytes. */
    public static TokenSigner hmac(String secret, Optional<String> kid) {
        try {
            return new TokenSigner(JWSAlgorithm.HS256, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), null, kid);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("HMAC secret is unusable: " + e.getMessage());
        }
    }

    /** The key in a PEM {@code PRIVATE KEY} (PKCS#8) text; throws IllegalArgumentException saying what it is instead. */
    public static TokenSigner privateKey(String pem, Optional<String> kid) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PEM private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        String label = m.group(1);
        if (label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")) {
            throw new IllegalArgumentException("an " + label + " (PKCS#1/SEC1); convert it to PKCS#8 with"
                    + " `openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY.pk8.pem`");
        }
        if (!label.equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("a PEM " + label + ", not an unencrypted PKCS#8 private key"
                    + " (expected -----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM private key is not valid base64");
        }
        PrivateKey key = decode(der);
        try {
            return switch (key) {
                case RSAPrivateKey rsa -> new TokenSigner(JWSAlgorithm.RS256, new RSASSASigner(rsa), null, kid);
                case ECPrivateKey ec -> new TokenSigner(VerificationKey.ecAlgorithm(Curve.forECParameterSpec(ec.getParams())),
                        new ECDSASigner(ec), null, kid);
                case EdECPrivateKey ed when ed.getParams().getName().equals("Ed25519") ->
                        new TokenSigner(JWSAlgorithm.EdDSA, null, ed, kid);
                default -> throw new IllegalArgumentException("unsupported private key type " + key.getAlgorithm()
                        + " (supported: RSA, EC P-256/384/521, Ed25519)");
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException("private key is unusable: " + e.getMessage());
        }
    }

    /** The JWS algorithm this signer uses. */
    public String algorithm() {
        return algorithm.getName();
    }

    /** A compact JWS of {@code claims} (a JSON object's members). */
    public String sign(Map<String, Object> claims) {
        JWSHeader header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT)
                .keyID(kid.orElse(null)).build();
        try {
            JWTClaimsSet set = JWTClaimsSet.parse(claims); // the same claim checks for every algorithm, EdDSA too
            if (signer != null) {
                SignedJWT jwt = new SignedJWT(header, set);
                jwt.sign(signer);
                return jwt.serialize();
            }
            String input = header.toBase64URL() + "." + Base64URL.encode(JSONObjectUtils.toJSONString(claims));
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(edKey);
            ed.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(ed.sign());
        } catch (JOSEException | GeneralSecurityException | ParseException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static PrivateKey decode(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm's PKCS#8 encoding; try the next
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks the " + algorithm + " key factory", e);
            }
        }
        throw new IllegalArgumentException("PEM private key is not an RSA, EC or Ed25519 key (or is corrupt)");
    }
}
