package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https targets through the upstream client, with certificates made by the JDK's keytool: a trusted certificate for
 * the target's address works (and its connection is reused), one for another name or from an unknown issuer is
 * refused as a connect failure.
 */
class UpstreamTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    /** A PKCS#12 key store with one self-signed EC certificate whose subject alternative names are {@code san}. */
    private KeyStore keyStore(String name, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static RawUpstream server(KeyStore identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return new RawUpstream(r -> RawUpstream.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure"),
                ctx.getServerSocketFactory());
    }

    private static SSLSocketFactory trusting(KeyStore trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static String body(Http1UpstreamClient client, RawUpstream u) throws Exception {
        try (UpstreamResponse r = client.send(new UpstreamRequest("GET", URI.create(u.origin()), "/", List.of(), null,
                -1, null))) {
            return new String(r.body().readAllBytes());
        }
    }

    @Test
    void aTrustedCertificateForTheTargetsAddressWorksAndItsConnectionIsReused() throws Exception {
        KeyStore ks = keyStore("target", "ip:127.0.0.1,dns:localhost");
        try (RawUpstream u = server(ks);
             Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4,
                     trusting(ks))) {
            assertThat(u.origin()).startsWith("https://");
            assertThat(body(client, u)).isEqualTo("secure");
            assertThat(body(client, u)).isEqualTo("secure");
            assertThat(u.connections()).isEqualTo(1);
        }
    }

    @Test
    void aCertificateForAnotherNameOrFromAnUnknownIssuerIsRefused() throws Exception {
        KeyStore elsewhere = keyStore("elsewhere", "dns:other.example");
        KeyStore target = keyStore("target", "ip:127.0.0.1");
        try (RawUpstream wrongName = server(elsewhere);
             RawUpstream unknownIssuer = server(target);
             Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(5), Duration.ofSeconds(5), 4,
                     trusting(elsewhere))) {
            for (RawUpstream u : List.of(wrongName, unknownIssuer)) {
                assertThatThrownBy(() -> body(client, u)).isInstanceOfSatisfying(UpstreamFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT));
            }
        }
    }
}
