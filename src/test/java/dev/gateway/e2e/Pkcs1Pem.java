package dev.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The "traditional" PEM of an RSA private key, as {@code openssl pkey -traditional} writes it: the PKCS#1
 * RSAPrivateKey (taken out of the JDK's PKCS#8 encoding) under {@code -----BEGIN RSA PRIVATE KEY-----}.
 */
final class Pkcs1Pem {
    private Pkcs1Pem() {
    }

    /** The base64 body (64-character lines) of the PEM. */
    static String body(RSAPrivateKey key) {
        return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs1(key.getEncoded()));
    }

    static String pem(RSAPrivateKey key) {
        return "-----BEGIN RSA PRIVATE KEY-----\n" + body(key) + "\n-----END RSA PRIVATE KEY-----\n";
    }

    /** PrivateKeyInfo is SEQUENCE { version, algorithm, OCTET STRING privateKey }: the last one's content. */
    private static byte[] pkcs1(byte[] der) {
        int i = contentStart(der, 0);
        i = contentStart(der, i) + length(der, i); // version
        i = contentStart(der, i) + length(der, i); // algorithm identifier
        if (der[i] != 0x04) throw new IllegalStateException("no OCTET STRING where PKCS#8 puts the key");
        int start = contentStart(der, i);
        return Arrays.copyOfRange(der, start, start + length(der, i));
    }

    private static int contentStart(byte[] der, int tag) {
        int first = der[tag + 1] & 0xff;
        return tag + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int length(byte[] der, int tag) {
        int first = der[tag + 1] & 0xff;
        if (first < 0x80) return first;
        int n = 0;
        for (int k = 0; k < (first & 0x7f); k++) n = n << 8 | der[tag + 2 + k] & 0xff;
        return n;
    }
}
