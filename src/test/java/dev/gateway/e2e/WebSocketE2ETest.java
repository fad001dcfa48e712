package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.Tokens;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets through the gateway, with the JDK's WebSocket client in front and a real Helidon WebSocket server
 * behind: messages (text, binary, large and fragmented), ping/pong, close codes and reasons both ways, refusals
 * before the upgrade (401, a route without websocket, the upstream's own status), an upstream that dies, a reload
 * while a socket is open, and shutdown.
 */
class WebSocketE2ETest {
    private static final String SECRET = Tokens.secret(48);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private WebServer upstream;
    private ServerSocket dying;
    private InProcessGateway gateway;
    private HttpClient http;
    private final Map<String, Headers> upgrades = new ConcurrentHashMap<>();
    private final Map<String, String> upgradeQueries = new ConcurrentHashMap<>();
    private final BlockingQueue<String> upstreamCloses = new LinkedBlockingQueue<>();
    private final AtomicInteger upstreamSockets = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        upstream = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/refuse", (req, res) -> res.status(Status.FORBIDDEN_403).send("no")))
                .addRouting(WsRouting.builder().endpoint("/echo", EchoListener::new))
                .build().start();
        dying = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::dyingUpstream);
        http = HttpClient.newHttpClient();
        gateway = InProcessGateway.start(writeConfig("access_token", ""));
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) gateway.close();
        http.close();
        upstream.stop();
        dying.close();
    }

    private Path writeConfig(String tokenQuery, String extraRoute) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        String yaml = """
                listen: { host: 127.0.0.1, shutdown-grace: 2s }
                jwt:
                  keys: [ { hmac-secret: "%s" } ]
                  forward-claims: { sub: X-User-Id }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                  dying: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: ws, path: /ws/**, upstream: echo, strip-prefix: /ws, auth: public,
                      websocket: { idle-timeout: 5m, max-frame-size: 1MiB } }
                  - { name: secure, path: /secure/**, upstream: echo, strip-prefix: /secure,
                      websocket: { token-query: %s } }
                  - { name: plain, path: /plain/**, upstream: echo, strip-prefix: /plain, auth: public }
                  - { name: idle, path: /idle/**, upstream: echo, strip-prefix: /idle, auth: public,
                      websocket: { idle-timeout: 400ms } }
                  - { name: dying, path: /dying/**, upstream: dying, strip-prefix: /dying, auth: public, websocket: {} }
                %s""".formatted(SECRET, upstream.port(), dying.getLocalPort(), tokenQuery, extraRoute);
        Path tmp = dir.resolve("gateway.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static String token(String subject) {
        Instant now = Instant.now();
        return Tokens.hs256(SECRET, null, new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build());
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + path);
    }

    private Client connect(String path) {
        return connect(http.newWebSocketBuilder(), path);
    }

    private Client connect(WebSocket.Builder builder, String path) {
        Client c = new Client();
        c.socket = builder.buildAsync(ws(path), c).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return c;
    }

    private int refusedStatus(WebSocket.Builder builder, String path) {
        Throwable thrown = null;
        try {
            builder.buildAsync(ws(path), new Client()).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            thrown = e.getCause();
        }
        assertThat(thrown).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) thrown).getResponse().statusCode();
    }

    @Test
    void echoesTextAndBinaryAndPingsThrough() throws Exception {
        Client c = connect("/ws/echo");
        c.socket.sendText("hello", true).join();
        assertThat(c.next()).isEqualTo("text:hello");
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        c.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        assertThat(c.next()).isEqualTo("binary:" + Base64.getEncoder().encodeToString(bytes));
        c.socket.sendPing(ByteBuffer.wrap("are-you-there".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(c.next()).isEqualTo("pong:are-you-there");
        for (int i = 0; i < 200; i++) c.socket.sendText("m" + i, true).join();
        for (int i = 0; i < 200; i++) assertThat(c.next()).isEqualTo("text:m" + i);
        c.socket.sendClose(1000, "done").join();
        assertThat(c.next()).isEqualTo("close:1000:echo:done");
    }

    @Test
    void relaysLargeFragmentedMessagesWhole() throws Exception {
        Client c = connect("/ws/echo");
        Random random = new Random(7);
        byte[] big = new byte[4 * 512 * 1024];
        random.nextBytes(big);
        for (int i = 0; i < 4; i++) {
            c.socket.sendBinary(ByteBuffer.wrap(big, i * 512 * 1024, 512 * 1024), i == 3).join();
        }
        assertThat(c.next()).isEqualTo("binary:" + Base64.getEncoder().encodeToString(big));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String part = ("part" + i + "-é€😀-").repeat(20_000);
            text.append(part);
            c.socket.sendText(part, i == 2).join();
        }
        assertThat(c.next()).isEqualTo("text:" + text);
        // fragments go on as fragments (WebSocketFidelityE2ETest checks that frame by frame): this test's client, the
        // JDK's, cuts text frames at 16 KiB of UTF-8 (jdk.httpclient.websocket.intermediateBufferSize) itself, so
        // these parts stay under it (16,000 bytes each)
        StringBuilder small = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String part = ("part" + i + "-é€😀-").repeat(1000);
            small.append(part);
            c.socket.sendText(part, i == 2).join();
        }
        assertThat(c.next()).isEqualTo("text:" + small);
        c.socket.sendText("fragments?", true).join();
        assertThat(c.next()).isEqualTo("text:frames 4 then 3");
    }

    @Test
    void aFrameOverTheRoutesLimitClosesWith1009() throws Exception {
        Client c = connect("/ws/echo");
        c.socket.sendBinary(ByteBuffer.wrap(new byte[(1 << 20) + 1]), true).join();
        assertThat(c.next()).startsWith("close:1009:");
    }

    @Test
    void closeCodesAndReasonsGoBothWays() throws Exception {
        Client c = connect("/ws/echo");
        c.socket.sendClose(4000, "client says bye").join();
        assertThat(c.next()).isEqualTo("close:4000:echo:client says bye");
        assertThat(upstreamCloses.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("4000:client says bye");

        Client d = connect("/ws/echo");
        d.socket.sendText("close 4321 upstream says bye", true).join();
        assertThat(d.next()).isEqualTo("close:4321:upstream says bye");
        // the client's reply (the JDK client answers with the code it received) reaches the upstream
        assertThat(upstreamCloses.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("4321:");
    }

    @Test
    void authenticatesBeforeTheUpgradeAndForwardsIdentity() throws Exception {
        assertThat(refusedStatus(http.newWebSocketBuilder(), "/secure/echo")).isEqualTo(401);
        assertThat(refusedStatus(http.newWebSocketBuilder().header("Authorization", "Bearer nope"), "/secure/echo"))
                .isEqualTo(401);
        assertThat(upstreamSockets.get()).isZero();

        Client c = connect(http.newWebSocketBuilder().header("Authorization", "Bearer " + token("alice"))
                .header("X-User-Id", "mallory"), "/secure/echo");
        c.socket.sendText("hi", true).join();
        assertThat(c.next()).isEqualTo("text:hi");
        assertThat(upgrades.get("/echo").get(io.helidon.http.HeaderNames.create("X-User-Id")).allValues())
                .containsExactly("alice");
        assertThat(upgrades.get("/echo").contains(io.helidon.http.HeaderNames.create("X-Request-Id"))).isTrue();

        Client q = connect("/secure/echo?access_token=" + token("bob") + "&room=7");
        q.socket.sendText("hi", true).join();
        assertThat(q.next()).isEqualTo("text:hi");
        assertThat(upgrades.get("/echo").get(io.helidon.http.HeaderNames.create("X-User-Id")).get()).isEqualTo("bob");
        assertThat(upgradeQueries.get("/echo")).isEqualTo("room=7");
    }

    @Test
    void theTokenMayComeAsASubprotocolAndUpgradesAreRateLimited() throws Exception {
        gateway.close();
        Path file = dir.resolve("limited.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s }
                jwt: { keys: [ { hmac-secret: "%s" } ], forward-claims: { sub: X-User-Id } }
                rate-limits: { policies: { two: { rate: 1/h, burst: 2 } } }
                upstreams: { echo: { targets: [ "http://127.0.0.1:%d" ] } }
                routes:
                  - { name: proto, path: /proto/**, upstream: echo, strip-prefix: /proto, rate-limit: two,
                      websocket: { token-protocol: "bearer." } }
                """.formatted(SECRET, upstream.port()));
        gateway = InProcessGateway.start(file);
        WebSocket.Builder withToken = http.newWebSocketBuilder().subprotocols("bearer." + token("carol"), "chat");
        Client c = connect(withToken, "/proto/echo");
        c.socket.sendText("hi", true).join();
        assertThat(c.next()).isEqualTo("text:hi");
        Headers seen = upgrades.get("/echo");
        assertThat(seen.get(io.helidon.http.HeaderNames.create("X-User-Id")).get()).isEqualTo("carol");
        assertThat(seen.get(io.helidon.http.HeaderNames.create("Sec-WebSocket-Protocol")).get())
                .as("the token entry is not sent upstream").isEqualTo("chat");
        assertThat(refusedStatus(http.newWebSocketBuilder().subprotocols("chat"), "/proto/echo"))
                .as("no token").isEqualTo(401);
        connect(http.newWebSocketBuilder().subprotocols("bearer." + token("carol")), "/proto/echo");
        assertThat(refusedStatus(http.newWebSocketBuilder().subprotocols("bearer." + token("carol")), "/proto/echo"))
                .as("the third upgrade within the burst of two").isEqualTo(429);
    }

    @Test
    void aRefusedUpgradeIsAProblemAnswerWithTheChallenge() throws Exception {
        String upgrade = "Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        RawHttp.Response r = RawHttp.send(gateway.port(), "GET /secure/echo HTTP/1.1\r\n" + upgrade, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("content-type")).isEqualTo("application/problem+json");
        assertThat(r.header("www-authenticate")).startsWith("Bearer realm=\"gateway\"");
        assertThat(r.bodyText()).contains("\"status\":401").contains("\"request_id\":\"" + r.header("x-request-id"));
        RawHttp.Response plain = RawHttp.send(gateway.port(), "GET /plain/echo HTTP/1.1\r\n" + upgrade, null);
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.bodyText()).contains("does not accept WebSocket upgrades");
        RawHttp.Response noKey = RawHttp.send(gateway.port(), "GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13", null);
        assertThat(noKey.status()).isEqualTo(400);
        RawHttp.Response badHost = RawHttp.send(gateway.port(), "GET /ws/echo HTTP/1.1\r\n"
                + upgrade.replace("Host: 127.0.0.1", "Host: a b"), null);
        assertThat(badHost.status()).as("an invalid Host is refused, not upgraded").isEqualTo(400);
        assertThat(badHost.bodyText()).contains("the Host header must be host or host:port (got 'a b')");
        assertThat(upstreamSockets.get()).isZero();
    }

    @Test
    void anIdleSocketIsClosedAfterItsIdleTimeout() throws Exception {
        Client c = connect("/idle/echo");
        for (int i = 0; i < 5; i++) {
            Thread.sleep(200);
            c.socket.sendText("keep" + i, true).join();
            assertThat(c.next()).isEqualTo("text:keep" + i);
        }
        long start = System.nanoTime();
        assertThat(c.next()).isEqualTo("close:1001:idle timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
    }

    @Test
    void refusesUpgradesOnRoutesWithoutWebsocketAndPassesTheUpstreamsRefusalBack() {
        assertThat(refusedStatus(http.newWebSocketBuilder(), "/plain/echo")).isEqualTo(400);
        assertThat(refusedStatus(http.newWebSocketBuilder(), "/nowhere")).isEqualTo(404);
        assertThat(refusedStatus(http.newWebSocketBuilder(), "/ws/refuse")).isEqualTo(403);
        assertThat(upstreamSockets.get()).isZero();
    }

    @Test
    void anUpstreamThatDiesClosesTheClientWith1011Promptly() throws Exception {
        Client c = connect("/dying/x");
        long start = System.nanoTime();
        c.socket.sendText("die", true).join();
        assertThat(c.next()).startsWith("close:1011:");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aReloadLeavesAnOpenSocketOnAnUnchangedRouteWorking() throws Exception {
        Client c = connect("/ws/echo");
        Client changed = connect("/secure/echo?access_token=" + token("carol"));
        c.socket.sendText("before", true).join();
        assertThat(c.next()).isEqualTo("text:before");
        String before = gateway.events();
        // adds a route and changes 'secure' (its token parameter): 'ws' is untouched
        writeConfig("t", "  - { name: extra, path: /extra/**, upstream: echo, auth: public }\n");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!gateway.events().substring(before.length()).contains("reloaded") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gateway.events().substring(before.length())).contains("reloaded");
        for (int i = 0; i < 50; i++) {
            c.socket.sendText("after" + i, true).join();
            assertThat(c.next()).isEqualTo("text:after" + i);
        }
        // the changed route's socket works through the drain window (shutdown-grace, 2s), then gets 1001
        changed.socket.sendText("still", true).join();
        assertThat(changed.next()).isEqualTo("text:still");
        assertThat(changed.next()).isEqualTo("close:1001:route changed");
        c.socket.sendText("later", true).join();
        assertThat(c.next()).isEqualTo("text:later");
    }

    @Test
    void shutdownClosesOpenSocketsWith1001() throws Exception {
        Client c = connect("/ws/echo");
        c.socket.sendText("x", true).join();
        assertThat(c.next()).isEqualTo("text:x");
        long start = System.nanoTime();
        gateway.close();
        gateway = null;
        assertThat(c.next()).isEqualTo("close:1001:gateway shutting down");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(upstreamCloses.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("1001:");
    }

    @Test
    void manySocketsEchoInOrderUnderLoad() throws Exception {
        int sockets = 50;
        int messages = 1000;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            int id = s;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    Client c = connect("/ws/echo");
                    for (int i = 0; i < messages; i++) {
                        c.socket.sendText(id + ":" + i, true).join();
                        if (i % 10 == 9) {
                            for (int k = i - 9; k <= i; k++) {
                                String got = c.next();
                                if (!got.equals("text:" + id + ":" + k)) throw new AssertionError(got);
                            }
                        }
                    }
                    c.socket.sendClose(1000, "").join();
                    String close = c.next();
                    if (!close.startsWith("close:1000")) throw new AssertionError(close);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** The test's WebSocket client: each whole message, pong and close as one line in a queue. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        WebSocket socket;

        String next() throws InterruptedException {
            String e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("next event").isNotNull();
            return e;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text:" + text);
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add("binary:" + Base64.getEncoder().encodeToString(binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add("pong:" + StandardCharsets.UTF_8.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add("close:" + statusCode + ":" + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add("error:" + error);
        }
    }

    /** The upstream: echoes each frame as it came (fragments included), answers pings, and echoes closes. */
    final class EchoListener implements WsListener {
        private int frames;
        private final List<Integer> messageFrames = new ArrayList<>();

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            upgrades.put(prologue.uriPath().path(), headers);
            upgradeQueries.put(prologue.uriPath().path(), prologue.query().rawValue());
            upstreamSockets.incrementAndGet();
            return Optional.empty();
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            count(last);
            if (text.startsWith("close ")) {
                String[] parts = text.split(" ", 3);
                session.close(Integer.parseInt(parts[1]), parts[2]);
            } else if (text.equals("fragments?") && last) {
                // the frames of the binary message and of the last text message before this one
                List<Integer> before = messageFrames.subList(0, messageFrames.size() - 1);
                session.send("frames " + before.get(before.size() - 3) + " then " + before.getLast(), true);
            } else {
                session.send(text, last);
            }
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            count(last);
            byte[] b = new byte[buffer.available()];
            buffer.read(b);
            session.send(BufferData.create(b), last);
        }

        private void count(boolean last) {
            frames++;
            if (last) {
                messageFrames.add(frames);
                frames = 0;
            }
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(buffer);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            upstreamCloses.add(status + ":" + reason);
            session.close(status, "echo:" + reason);
        }
    }

    /** An upstream that accepts the upgrade, then drops the connection (RST) when the first frame arrives. */
    private void dyingUpstream() {
        while (!dying.isClosed()) {
            try (Socket s = dying.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) head.write(in.read());
                String key = head.toString(StandardCharsets.ISO_8859_1).lines()
                        .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.read();
                s.setSoLinger(true, 0);
            } catch (Exception e) {
                // closed by the test, or a client that went away
            }
        }
    }
}
