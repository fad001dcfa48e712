package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.gateway.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener with real certificates made by openssl: SNI picks the pair, requests are proxied with
 * X-Forwarded-Proto https over HTTP/1.1 and h2 (ALPN), a renewal takes effect for new handshakes with no failed
 * request, a broken renewal keeps the previous pair serving, and client certificates are required or optional.
 */
class TlsE2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static TestCerts certs;
    private static int echo;

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCerts(dir);
        echo = resources.echo("echo");
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    /** A gateway serving HTTPS with {@code tls} (the body of listen.tls) in a folder of its own. */
    private static InProcessGateway gateway(Path folder, String tls) throws Exception {
        return gateway(folder, tls, "");
    }

    /** The same with more {@code listen} keys ({@code extra}, YAML lines at the listen level). */
    private static InProcessGateway gateway(Path folder, String tls, String extra) throws Exception {
        Files.createDirectories(folder);
        Path config = folder.resolve("gateway.yaml");
        Files.writeString(config, """
                listen:
                  host: 127.0.0.1
                  shutdown-grace: 1s
                %s
                  tls:
                %s
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api/**, upstream: echo, auth: public }
                """.formatted(extra.indent(2).stripTrailing(), tls.indent(4).stripTrailing(), echo));
        return resources.add(InProcessGateway.start(config));
    }

    /** Copies a pair into {@code folder} as {@code name.pem}/{@code name.key}, so the test may overwrite it. */
    private static TestCerts.Pair copy(TestCerts.Pair pair, Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        TestCerts.Pair to = new TestCerts.Pair(folder.resolve(name + ".pem"), folder.resolve(name + ".key"));
        Files.copy(pair.cert(), to.cert());
        Files.copy(pair.key(), to.key());
        return to;
    }

    /**
     * The leaf certificate the gateway presents to a handshake with {@code sni} (none when null); give each call a
     * new client context, else the client resumes its last session and no certificate is chosen.
     */
    private static X509Certificate presented(int port, String sni, SSLContext ctx) throws IOException {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            SSLParameters params = socket.getSSLParameters();
            if (sni != null) params.setServerNames(List.of(new SNIHostName(sni)));
            // the names are not the address dialled: check the chain, not the host name, here
            params.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(params);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static String subject(int port, String sni) throws Exception {
        return presented(port, sni, certs.client(null)).getSubjectX500Principal().getName();
    }

    /** One GET over a new connection with a full handshake (a new client context: no session to resume). */
    private static String getOnce(int port, SSLContext ctx) throws IOException {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /api/once HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            RawHttp.Response r = RawHttp.read(in, false);
            if (r.status() != 200) throw new IOException("status " + r.status());
            return r.bodyText();
        }
    }

    private static HttpClient client(SSLContext ctx, HttpClient.Version version) {
        return resources.add(HttpClient.newBuilder().sslContext(ctx).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void sniPicksThePairWhoseNamesCoverTheHostAndTheFirstIsTheDefault() throws Exception {
        Path folder = dir.resolve("sni");
        TestCerts.Pair api = copy(certs.leaf("api", 30, "api.example.com", "127.0.0.1"), folder, "api");
        TestCerts.Pair org = copy(certs.leaf("org", 30, "*.example.org"), folder, "org");
        try (InProcessGateway gateway = gateway(folder, """
                certificates:
                  - { cert: api.pem, key: api.key }
                  - { cert: org.pem, key: org.key }""")) {
            String apiSubject = TestCerts.certificate(api.cert()).getSubjectX500Principal().getName();
            String orgSubject = TestCerts.certificate(org.cert()).getSubjectX500Principal().getName();
            assertThat(subject(gateway.port(), "api.example.com")).isEqualTo(apiSubject);
            assertThat(subject(gateway.port(), "shop.example.org")).isEqualTo(orgSubject);
            assertThat(subject(gateway.port(), "SHOP.Example.org")).isEqualTo(orgSubject);
            // a wildcard covers one label only; an unknown name and no SNI get the first pair
            assertThat(subject(gateway.port(), "a.b.example.org")).isEqualTo(apiSubject);
            assertThat(subject(gateway.port(), "other.test")).isEqualTo(apiSubject);
            assertThat(subject(gateway.port(), null)).isEqualTo(apiSubject);
        }
    }

    @Test
    void requestsAreProxiedOverHttpsWithForwardedProtoHttpsOnHttp1AndH2() throws Exception {
        Path folder = dir.resolve("proxy");
        copy(certs.leaf("proxy", 30, "localhost", "127.0.0.1"), folder, "server");
        try (InProcessGateway gateway = gateway(folder, """
                certificates: [ { cert: server.pem, key: server.key } ]
                min-version: TLSv1.3""")) {
            URI uri = URI.create("https://127.0.0.1:" + gateway.port() + "/api/hello");
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpResponse<String> r = client(certs.client(null), version).send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
                Map<String, Object> echoed = TinyJson.object(r.body());
                @SuppressWarnings("unchecked")
                Map<String, Object> headers = (Map<String, Object>) echoed.get("headers");
                assertThat(headers.get("x-forwarded-proto")).isEqualTo("https");
                assertThat(echoed.get("path")).isEqualTo("/api/hello");
                Map<String, Object> line = gateway.accessLine(r);
                assertThat(line.get("protocol")).isEqualTo(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0"
                        : "HTTP/1.1");
                assertThat(line.get("tls")).isEqualTo(true);
            }
            // min-version TLSv1.3: a TLSv1.2-only client is refused
            SSLContext old = certs.client(null);
            try (SSLSocket socket = (SSLSocket) old.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    gateway.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void tenRenewalsUnderAClientLoopTakeEffectWithinASecondAndNoRequestFails() throws Exception {
        Path folder = dir.resolve("renew");
        TestCerts.Pair live = copy(certs.leaf("renew-0", 30, "127.0.0.1"), folder, "live");
        try (InProcessGateway gateway = gateway(folder, "certificates: [ { cert: live.pem, key: live.key } ]")) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread loop = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        getOnce(gateway.port(), certs.client(null));
                        ok.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            try {
                for (int i = 1; i <= 10; i++) {
                    TestCerts.Pair next = certs.leaf("renew-" + i, 30, "127.0.0.1");
                    BigInteger serial = TestCerts.certificate(next.cert()).getSerialNumber();
                    long start = System.nanoTime();
                    TestCerts.install(next, live);
                    while (!presented(gateway.port(), null, certs.client(null)).getSerialNumber().equals(serial)) {
                        assertThat(System.nanoTime() - start).as("renewal %d seen", i)
                                .isLessThan(Duration.ofSeconds(3).toNanos());
                        Thread.sleep(20);
                    }
                    // the poller looks every 500 ms: a renewal is in use within about a second
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
                }
            } finally {
                running.set(false);
                loop.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(ok.get()).isGreaterThan(20);
            assertThat(gateway.events()).contains("TLS certificate " + live.cert() + " reloaded");
        }
    }

    @Test
    void aBrokenRenewalIsLoggedAndThePreviousPairKeepsServingUntilAGoodOneArrives() throws Exception {
        Path folder = dir.resolve("broken");
        TestCerts.Pair live = copy(certs.leaf("broken-0", 30, "127.0.0.1"), folder, "live");
        BigInteger first = TestCerts.certificate(live.cert()).getSerialNumber();
        try (InProcessGateway gateway = gateway(folder, "certificates: [ { cert: live.pem, key: live.key } ]")) {
            TestCerts.Pair stranger = certs.leaf("stranger", 30, "127.0.0.1");
            Files.copy(stranger.key(), live.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!gateway.events().contains("does not belong") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(gateway.events()).contains("key file " + live.key())
                    .contains("still serving the previous certificate");
            assertThat(presented(gateway.port(), null, certs.client(null)).getSerialNumber()).isEqualTo(first);
            assertThat(getOnce(gateway.port(), certs.client(null))).contains("/api/once");
            // logged once, not on every look
            Thread.sleep(1200);
            assertThat(gateway.events().split("does not belong", -1)).hasSize(2);

            Files.copy(stranger.cert(), live.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            BigInteger renewed = TestCerts.certificate(stranger.cert()).getSerialNumber();
            deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!presented(gateway.port(), null, certs.client(null)).getSerialNumber().equals(renewed)) {
                assertThat(System.nanoTime()).as("the good pair is picked up").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void redirectHttpAnswers308ToHttpsKeepingHostPathAndQueryAndServesHealth() throws Exception {
        Path folder = dir.resolve("redirect");
        copy(certs.leaf("redirect", 30, "127.0.0.1"), folder, "server");
        int plain;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            plain = s.getLocalPort();
        }
        try (InProcessGateway gateway = gateway(folder, "certificates: [ { cert: server.pem, key: server.key } ]",
                "redirect-http: { port: " + plain + " }")) {
            for (String method : List.of("GET", "POST")) {
                RawHttp.Response r = RawHttp.send(plain, method + " /api/x?y=1&z=%2F HTTP/1.1\r\nHost: api.example:"
                        + plain + "\r\nContent-Length: 0", new byte[0]);
                assertThat(r.status()).isEqualTo(308);
                assertThat(r.header("location")).isEqualTo("https://api.example:" + gateway.port() + "/api/x?y=1&z=%2F");
            }
            assertThat(RawHttp.send(plain, "GET /api/ HTTP/1.1\r\nHost: [::1]", null).header("location"))
                    .isEqualTo("https://[::1]:" + gateway.port() + "/api/");
            RawHttp.Response health = RawHttp.send(plain, "GET /health HTTP/1.1\r\nHost: a", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.bodyText()).contains("serving");
            Problems.assertProblem(RawHttp.send(plain, "GET /api/x HTTP/1.1\r\nHost: a b", null), 400);
            assertThat(gateway.events()).contains("redirecting http://127.0.0.1:" + plain + " to https (308)");
        }
    }

    @Test
    void theServingCertificatesAreShownByRoutesTheAdminApiAndMetrics() throws Exception {
        Path folder = dir.resolve("shown");
        copy(certs.leaf("shown-api", 30, "api.example.com", "127.0.0.1"), folder, "api");
        copy(certs.leaf("shown-org", 30, "*.example.org"), folder, "org");
        Path config = Files.writeString(folder.resolve("gateway.yaml"), """
                listen:
                  host: 127.0.0.1
                  shutdown-grace: 1s
                  tls: { certificates: [ { cert: api.pem, key: api.key }, { cert: org.pem, key: org.key } ] }
                admin: { port: 0 }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api/**, upstream: echo, auth: public }
                """.formatted(echo));
        String notAfter = TestCerts.certificate(folder.resolve("api.pem")).getNotAfter().toInstant().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), "routes", "--config", config.toString());
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("TLS certificates (chosen by SNI; the first is the "
                + "default):").contains("  " + folder.resolve("api.pem") + ": api.example.com, 127.0.0.1 "
                + "(CN=api.example.com), expires " + notAfter).contains(folder.resolve("org.pem") + ": *.example.org");
        try (InProcessGateway gateway = resources.add(InProcessGateway.start(config))) {
            HttpClient plain = resources.httpClient();
            String tls = plain.send(HttpRequest.newBuilder(gateway.adminUri("/admin/tls")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(tls).contains("\"subject\":\"CN=api.example.com\"")
                    .contains("\"not_after\":\"" + notAfter + "\"").contains("\"names\":[\"*.example.org\"]");
            assertThat(tls.indexOf("api.example.com")).isLessThan(tls.indexOf("*.example.org"));
            String metrics = plain.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("gateway_tls_certificate_expiry_timestamp_seconds{cert=\""
                    + folder.resolve("api.pem") + "\",subject=\"CN=api.example.com\","
                    + "names=\"api.example.com,127.0.0.1\"} "
                    + TestCerts.certificate(folder.resolve("api.pem")).getNotAfter().toInstant().getEpochSecond());
        }
    }

    @Test
    void clientCertificatesRequiredOrOptional() throws Exception {
        TestCerts.Pair server = certs.leaf("mtls-server", 30, "127.0.0.1");
        TestCerts.Pair client = certs.leaf("mtls-client", 30, "client.example.com");
        for (String mode : List.of("required", "optional")) {
            Path folder = dir.resolve("mtls-" + mode);
            copy(server, folder, "server");
            Files.copy(certs.ca(), folder.resolve("clients-ca.pem"));
            try (InProcessGateway gateway = gateway(folder, """
                    certificates: [ { cert: server.pem, key: server.key } ]
                    client-auth: { ca: clients-ca.pem, mode: %s }""".formatted(mode))) {
                assertThat(getOnce(gateway.port(), certs.client(client))).contains("/api/once");
                if (mode.equals("required")) {
                    assertThatThrownBy(() -> getOnce(gateway.port(), certs.client(null)))
                            .isInstanceOf(IOException.class);
                } else {
                    assertThat(getOnce(gateway.port(), certs.client(null))).contains("/api/once");
                }
            }
        }
    }
}
