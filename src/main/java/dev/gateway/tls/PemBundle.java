package dev.gateway.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a TLS server identity from PEM text: certificate chains, and private keys in PKCS#8, PKCS#1 (RSA) and SEC1
 * (EC) form, which the JDK reads only as PKCS#8; and checks that a key and a chain belong together.
 */
public final class PemBundle {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*((?:[A-Za-z0-9-]+:[^\\n]*\\n)*)([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String DECRYPT = "the key is encrypted; decrypt it (openssl pkey -in KEY -out KEY.plain)";

    private PemBundle() {
    }

    private record Block(String label, String headers, String body) {
    }

    private static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem.replace("\r", ""));
        while (m.find()) out.add(new Block(m.group(1), m.group(2), m.group(3)));
        return out;
    }

    private static byte[] der(Block b, String what) {
        try {
            return Base64.getMimeDecoder().decode(b.body());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
    }

    /** The certificates in {@code pem}, in file order (leaf first). Throws IllegalArgumentException saying why not. */
    public static List<X509Certificate> certificates(String pem) {
        List<Block> blocks = blocks(pem);
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK reads no X.509", e);
        }
        for (Block b : blocks) {
            if (!b.label().equals("CERTIFICATE")) continue;
            String what = "certificate block " + (out.size() + 1);
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(b, what))));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(what + " is not an X.509 certificate");
            }
        }
        if (out.isEmpty()) {
            boolean key = blocks.stream().anyMatch(b -> b.label().endsWith("PRIVATE KEY"));
            throw new IllegalArgumentException("no -----BEGIN CERTIFICATE----- block"
                    + (key ? "; is this the key file?" : ""));
        }
        return out;
    }

    /** The one private key in {@code pem}. Throws IllegalArgumentException saying what is wrong. */
    public static PrivateKey privateKey(String pem) {
        List<Block> keys = blocks(pem).stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            boolean cert = blocks(pem).stream().anyMatch(b -> b.label().equals("CERTIFICATE"));
            throw new IllegalArgumentException(cert ? "no private key block; is this the certificate file?"
                    : "no -----BEGIN PRIVATE KEY----- block (PKCS#8, or RSA/EC PRIVATE KEY)");
        }
        if (keys.size() > 1) throw new IllegalArgumentException("more than one private key; put one in the file");
        Block b = keys.getFirst();
        if (b.label().equals("ENCRYPTED PRIVATE KEY") || b.headers().contains("ENCRYPTED")) {
            throw new IllegalArgumentException(DECRYPT);
        }
        byte[] der = der(b, "the " + b.label());
        byte[] pkcs8 = switch (b.label()) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> pkcs8(seq(RSA_OID, new byte[] {0x05, 0x00}), der);
            case "EC PRIVATE KEY" -> pkcs8(seq(EC_OID, curve(der)), der);
            default -> throw new IllegalArgumentException("a PEM " + b.label() + " is not a key this gateway reads"
                    + " (PKCS#8 PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        };
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // not this algorithm's key; try the next
            }
        }
        throw new IllegalArgumentException("the " + b.label() + " is not an RSA, EC or EdDSA key (or is corrupt)");
    }

    /** Checks that {@code key} belongs to {@code leaf}; throws IllegalArgumentException saying it does not. */
    public static void checkKey(X509Certificate leaf, PrivateKey key) {
        if (!belongs(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to certificate '"
                    + leaf.getSubjectX500Principal().getName() + "' (the first in the chain)");
        }
    }

    /** Checks that each certificate is signed by the next one; throws IllegalArgumentException naming the first gap. */
    public static void checkChain(List<X509Certificate> chain) {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate child = chain.get(i - 1);
            X509Certificate issuer = chain.get(i);
            boolean signed = child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
            try {
                if (signed) child.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                signed = false;
            }
            if (!signed) {
                throw new IllegalArgumentException("certificate " + (i + 1) + " ('" + issuer.getSubjectX500Principal()
                        .getName() + "') is not the issuer of certificate " + i + " ('" + child
                        .getSubjectX500Principal().getName() + "'); list the chain leaf first, then each issuer");
            }
        }
    }

    /** {@link #checkKey} with the chain's first certificate, then {@link #checkChain}. */
    public static void checkPair(List<X509Certificate> chain, PrivateKey key) {
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate");
        checkKey(chain.getFirst(), key);
        checkChain(chain);
    }

    private static boolean belongs(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAPrivateCrtKey rsa && pub instanceof RSAPublicKey rsaPub) {
            return rsa.getModulus().equals(rsaPub.getModulus());
        }
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) return false;
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // EdDSA
        };
        try {
            byte[] challenge = "gateway key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The named-curve OID (tag and all) in a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curve(byte[] sec1) {
        int[] p = {0};
        int end = header(sec1, p, 0x30);
        end = p[0] + end;
        while (p[0] < end) {
            int tag = sec1[p[0]] & 0xff;
            int start = p[0];
            int len = header(sec1, p, tag);
            if (tag == 0xa0) {
                int inner = p[0];
                if ((sec1[inner] & 0xff) != 0x06) break;
                int[] q = {inner};
                int oidLen = header(sec1, q, 0x06);
                return java.util.Arrays.copyOfRange(sec1, inner, q[0] + oidLen);
            }
            p[0] += len;
            if (p[0] <= start) break;
        }
        throw new IllegalArgumentException("the EC PRIVATE KEY names no curve; convert it to PKCS#8"
                + " (openssl pkcs8 -topk8 -nocrypt)");
    }

    /** Reads a DER tag (which must be {@code tag}) and length at {@code p[0]}; leaves p[0] at the content. */
    private static int header(byte[] der, int[] p, int tag) {
        if (p[0] + 2 > der.length || (der[p[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("the EC PRIVATE KEY is corrupt");
        }
        int len = der[p[0] + 1] & 0xff;
        p[0] += 2;
        if (len > 0x80) {
            int n = len - 0x80;
            len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | (der[p[0]++] & 0xff);
        }
        if (len < 0 || p[0] + len > der.length) throw new IllegalArgumentException("the EC PRIVATE KEY is corrupt");
        return len;
    }

    /** PrivateKeyInfo: version 0, the algorithm, the key as an OCTET STRING. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(0x30, new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key));
    }

    private static byte[] seq(byte[] oid, byte[] params) {
        return tlv(0x30, tlv(0x06, oid), params);
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) content.writeBytes(part);
        int len = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(len >>> (8 * i));
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
