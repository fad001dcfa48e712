package dev.gateway.auth;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.Curve;

/** Reads one PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo): RSA of 2048+ bits, EC P-256/384/521 or Ed25519. */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    static final int MIN_RSA_BITS = 2048;

    private PemKeys() {
    }

    /** Returns the key in {@code pem}; throws IllegalArgumentException saying what the text is instead. */
    static PublicKey parse(String pem) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PEM public key (expected a -----BEGIN PUBLIC KEY----- block)");
        }
        String label = m.group(1);
        String body = m.group(2);
        if (m.find()) {
            throw new IllegalArgumentException("more than one PEM block; put exactly one public key in the file");
        }
        if (label.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("a private key (" + label + "); configure the public key instead"
                    + " (-----BEGIN PUBLIC KEY-----, e.g. from `openssl pkey -pubout`)");
        }
        if (label.equals("CERTIFICATE")) {
            throw new IllegalArgumentException("a certificate, not a public key; extract the key with"
                    + " `openssl x509 -pubkey -noout`");
        }
        if (label.equals("RSA PUBLIC KEY")) {
            throw new IllegalArgumentException("a PKCS#1 RSA PUBLIC KEY; convert it to -----BEGIN PUBLIC KEY-----"
                    + " with `openssl rsa -RSAPublicKey_in -pubout`");
        }
        if (!label.equals("PUBLIC KEY")) {
            throw new IllegalArgumentException("a PEM " + label + ", not a public key"
                    + " (expected -----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM public key is not valid base64");
        }
        return checked(decode(der));
    }

    /** The one-word kind of {@code key} for descriptions: {@code RSA 2048-bit}, {@code EC P-256}, {@code Ed25519}. */
    static String describe(PublicKey key) {
        return switch (key) {
            case RSAPublicKey rsa -> "RSA " + rsa.getModulus().bitLength() + "-bit";
            case ECPublicKey ec -> "EC " + Curve.forECParameterSpec(ec.getParams()).getName();
            default -> "Ed25519";
        };
    }

    /** Throws IllegalArgumentException unless {@code key} is a kind and size tokens may be verified with. */
    static PublicKey checked(PublicKey key) {
        switch (key) {
            case RSAPublicKey rsa when rsa.getModulus().bitLength() < MIN_RSA_BITS ->
                    throw new IllegalArgumentException("RSA key is " + rsa.getModulus().bitLength()
                            + " bits; at least " + MIN_RSA_BITS + " are required");
            case RSAPublicKey rsa -> {
                return rsa;
            }
            case ECPublicKey ec -> {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null || !(curve.equals(Curve.P_256) || curve.equals(Curve.P_384)
                        || curve.equals(Curve.P_521))) {
                    throw new IllegalArgumentException("EC key is on an unsupported curve"
                            + (curve == null ? "" : " " + curve.getName()) + " (supported: P-256, P-384, P-521)");
                }
                return ec;
            }
            case EdECPublicKey ed when ed.getParams().getName().equals("Ed25519") -> {
                return ed;
            }
            default -> throw new IllegalArgumentException("unsupported public key type "
                    + algorithmName(key) + " (supported: RSA, EC P-256/384/521, Ed25519)");
        }
    }

    private static String algorithmName(PublicKey key) {
        return switch (key) {
            case EdECPublicKey ed -> ed.getParams().getName();
            case XECPublicKey xec when xec.getParams() instanceof NamedParameterSpec named -> named.getName();
            default -> key.getAlgorithm();
        };
    }

    private static PublicKey decode(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "XDH"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm's SubjectPublicKeyInfo; try the next
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks the " + algorithm + " key factory", e);
            }
        }
        throw new IllegalArgumentException("PEM public key is not an RSA, EC or Ed25519 key (or is corrupt)");
    }
}
