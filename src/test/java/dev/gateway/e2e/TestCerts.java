package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real certificates made with openssl at test time under one folder: a CA, and leaf certificates it signs for given
 * names (EC P-256 keys, PEM files). Also the SSLContexts a test client needs to trust that CA and to present a
 * client certificate.
 */
final class TestCerts {
    private final Path dir;
    private int serial;

    /** A PEM certificate file and its PEM key file. */
    record Pair(Path cert, Path key) {
    }

    /** Makes the CA ({@code ca.pem}, {@code ca.key}) in {@code dir}. */
    TestCerts(Path dir) throws Exception {
        this.dir = dir;
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.pem").toString(), "-days", "30",
                "-subj", "/CN=Gateway Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    /**
     * A leaf signed by the CA for {@code names} (DNS names, or IP addresses), written as {@code NAME.pem} and
     * {@code NAME.key}; {@code days} of validity.
     */
    Pair leaf(String file, int days, String... names) throws Exception {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path ext = dir.resolve(file + ".ext");
        List<String> sans = new ArrayList<>();
        for (String n : names) sans.add((n.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + n);
        Files.writeString(ext, "subjectAltName=" + String.join(",", sans) + "\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + names[0]);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca().toString(), "-CAkey", dir.resolve("ca.key").toString(),
                "-set_serial", Integer.toString(1000 + ++serial), "-out", cert.toString(), "-days", Integer.toString(days),
                "-extfile", ext.toString());
        return new Pair(cert, key);
    }

    /** Writes {@code from}'s files over {@code to}'s by rename, the key first, as a renewal tool would. */
    static void install(Pair from, Pair to) throws IOException {
        Path keyTmp = to.key().resolveSibling(to.key().getFileName() + ".tmp");
        Path certTmp = to.cert().resolveSibling(to.cert().getFileName() + ".tmp");
        Files.copy(from.key(), keyTmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(from.cert(), certTmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyTmp, to.key(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(certTmp, to.cert(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A client context that trusts the CA, and presents {@code clientCert} when not null. */
    SSLContext client(Pair clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(ca()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            Path p12 = dir.resolve(clientCert.cert().getFileName() + ".p12");
            openssl("pkcs12", "-export", "-in", clientCert.cert().toString(), "-inkey", clientCert.key().toString(),
                    "-out", p12.toString(), "-passout", "pass:changeit");
            KeyStore id = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                id.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(id, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Runs openssl with {@code args}; fails the test with its output when it fails. */
    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }
}
