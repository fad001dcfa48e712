package dev.gateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * One certificate chain and its private key, read from a PEM certificate file and a PEM key file, with the host
 * names the leaf certificate is for. Immutable.
 */
public record ServerIdentity(Path certFile, Path keyFile, List<X509Certificate> chain, PrivateKey key,
                             List<String> names) {
    /** PEM files are a few KiB; anything far larger is the wrong file. */
    static final long MAX_PEM_BYTES = 1 << 20;

    public ServerIdentity {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /** Why a certificate or key file cannot be used: which of the two is at fault, and what is wrong with it. */
    public static final class UnusableFile extends Exception {
        private final boolean keyFile;

        UnusableFile(boolean keyFile, String message) {
            super(message);
            this.keyFile = keyFile;
        }

        /** True when the key file is at fault (it does not parse, or does not belong to the certificate). */
        public boolean keyFile() {
            return keyFile;
        }
    }

    /** Reads and checks the pair: both parse, the key belongs to the first certificate, the chain is in order. */
    public static ServerIdentity read(Path certFile, Path keyFile) throws UnusableFile {
        List<X509Certificate> chain;
        try {
            chain = PemBundle.certificates(text(certFile, "a certificate"));
        } catch (IllegalArgumentException e) {
            throw new UnusableFile(false, "certificate file " + certFile + ": " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = PemBundle.privateKey(text(keyFile, "a private key"));
        } catch (IllegalArgumentException e) {
            throw new UnusableFile(true, "key file " + keyFile + ": " + e.getMessage());
        }
        try {
            PemBundle.checkKey(chain.getFirst(), key);
        } catch (IllegalArgumentException e) {
            throw new UnusableFile(true, "key file " + keyFile + ": " + e.getMessage());
        }
        try {
            PemBundle.checkChain(chain);
        } catch (IllegalArgumentException e) {
            throw new UnusableFile(false, "certificate file " + certFile + ": " + e.getMessage());
        }
        return new ServerIdentity(certFile, keyFile, chain, key, names(chain.getFirst()));
    }

    /** The file's text; throws IllegalArgumentException saying why it cannot be read as {@code what}. */
    static String text(Path file, String what) {
        try {
            if (Files.isDirectory(file)) throw new IllegalArgumentException("it is a directory, not " + what);
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new IllegalArgumentException("it is larger than 1MiB, too large for " + what);
            }
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("it does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it (" + e.getMessage() + ")");
        }
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** When the leaf certificate expires. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** What the admin API and {@code gateway routes} show of this pair: files, subject, names, expiry. */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cert", certFile.toString());
        out.put("key", keyFile.toString());
        out.put("subject", subject());
        out.put("names", names);
        out.put("not_after", notAfter().toString());
        return out;
    }

    /** The leaf's subject, as the operator reads it ({@code CN=api.example.com}). */
    public String subject() {
        return leaf().getSubjectX500Principal().getName();
    }

    /**
     * Whether the leaf is for {@code host} (lower case, no trailing dot): an exact DNS name, or a wildcard
     * {@code *.example.com} covering exactly one more label (RFC 6125 6.4.3).
     */
    public boolean serves(String host) {
        for (String name : names) {
            if (name.equals(host)) return true;
            if (name.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(name.substring(2))) return true;
            }
        }
        return false;
    }

    /** The DNS and IP subject alternative names, or the common name when there are none (lower case). */
    static List<String> names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN extension: fall back to the common name below
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // a subject the JDK printed but cannot parse back: the certificate serves as the default only
            }
        }
        return names;
    }
}
