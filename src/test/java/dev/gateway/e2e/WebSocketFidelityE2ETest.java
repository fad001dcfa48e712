package dev.gateway.e2e;

import static dev.gateway.e2e.WebSocketPeer.BINARY;
import static dev.gateway.e2e.WebSocketPeer.CLOSE;
import static dev.gateway.e2e.WebSocketPeer.CONTINUATION;
import static dev.gateway.e2e.WebSocketPeer.PING;
import static dev.gateway.e2e.WebSocketPeer.PONG;
import static dev.gateway.e2e.WebSocketPeer.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay at the level of frames, with a bare RFC 6455 peer on each end of the gateway: every frame arrives as it
 * was sent (one large frame stays one frame, fragments keep their boundaries even inside a character), pings and
 * pongs are relayed and never answered by the gateway, close frames keep their exact code and reason (or their
 * lack of one), the route's frame limit holds both ways, protocol violations are closed with 1002, and an upstream
 * that refuses or dies is reported to the client as it happened.
 */
class WebSocketFidelityE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private ServerSocket upstreamServer;
    private final BlockingQueue<WebSocketPeer> upstreams = new LinkedBlockingQueue<>();
    private final List<WebSocketPeer> peers = new CopyOnWriteArrayList<>();
    private InProcessGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstreamServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptUpstreams);
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s }
                upstreams:
                  raw: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: raw, path: /raw/**, upstream: raw, strip-prefix: /raw, auth: public, websocket: {} }
                  - { name: small, path: /small/**, upstream: raw, strip-prefix: /small, auth: public,
                      websocket: { max-frame-size: 64KiB } }
                """.formatted(upstreamServer.getLocalPort()));
        gateway = InProcessGateway.start(file);
    }

    @AfterEach
    void stop() throws IOException {
        // both ends go first, so the gateway's shutdown has no close handshakes left to wait for
        for (WebSocketPeer p : peers) p.close();
        for (WebSocketPeer p : upstreams) p.close();
        if (gateway != null) gateway.close();
        upstreamServer.close();
    }

    private WebSocketPeer connect(String target, String extraHeaders, byte[] early) throws IOException {
        WebSocketPeer client = WebSocketPeer.connect(gateway.port(), target, extraHeaders, early);
        peers.add(client);
        return client;
    }

    /** The upstream: /refuse/NNN answers NNN, /bad-accept a 101 with a wrong key, /early sends a frame with its 101. */
    private void acceptUpstreams() {
        while (!upstreamServer.isClosed()) {
            try {
                upstreams.add(WebSocketPeer.accept(upstreamServer, head -> {
                    String target = head.split(" ", 3)[1];
                    if (target.startsWith("/refuse/")) return "HTTP/1.1 " + target.substring(8) + " Refused";
                    if (target.startsWith("/bad-accept")) {
                        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
                    }
                    return null;
                }, head -> head.startsWith("GET /early") ? WebSocketPeer.encode(0x81, bytes("early"), false)
                        : new byte[0]));
            } catch (IOException e) {
                // closed by the test, or a connection that went away mid-handshake
            }
        }
    }

    /** A client socket through route {@code route} and the upstream side the gateway opened for it. */
    private record Pair(WebSocketPeer client, WebSocketPeer upstream) {
    }

    private Pair open(String target) throws Exception {
        WebSocketPeer client = connect(target, "", new byte[0]);
        assertThat(client.status()).as(client.head).isEqualTo(101);
        WebSocketPeer upstream = upstreams.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(upstream).as("the upstream side").isNotNull();
        peers.add(upstream);
        return new Pair(client, upstream);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertFrame(WebSocketPeer.Frame frame, boolean fin, int opcode, byte[] payload, boolean masked) {
        assertThat(frame.fin()).as("FIN of " + frame).isEqualTo(fin);
        assertThat(frame.opcode()).as("opcode of " + frame).isEqualTo(opcode);
        assertThat(frame.masked()).as("mask of " + frame).isEqualTo(masked);
        assertThat(frame.payload()).as("payload of " + frame).isEqualTo(payload);
    }

    @Test
    void everyFrameSizeCrossesAsOneFrameEachWay() throws Exception {
        Pair p = open("/raw/echo");
        Random random = new Random(6455);
        // every length encoding (7, 16 and 64 bits) and its edges, and a text frame far above the JDK client's 16 KiB
        for (int size : new int[] {0, 1, 125, 126, 65535, 65536, 300_000}) {
            byte[] binary = new byte[size];
            random.nextBytes(binary);
            p.client().send(true, BINARY, binary);
            assertFrame(p.upstream().next(), true, BINARY, binary, true);
            p.upstream().send(true, BINARY, binary);
            assertFrame(p.client().next(), true, BINARY, binary, false);
        }
        byte[] text = bytes("é€😀 text in one frame ".repeat(10_000));
        assertThat(text.length).isGreaterThan(16 * 1024 * 10);
        p.client().send(true, TEXT, text);
        assertFrame(p.upstream().next(), true, TEXT, text, true);
        p.upstream().send(true, TEXT, text);
        assertFrame(p.client().next(), true, TEXT, text, false);
    }

    @Test
    void fragmentsKeepTheirBoundariesBothWaysEvenInsideACharacter() throws Exception {
        Pair p = open("/raw/echo");
        byte[] whole = bytes("aé€😀z");
        // cut inside é (2 bytes), € (3 bytes) and 😀 (4 bytes), with a ping between the fragments
        List<byte[]> parts = List.of(slice(whole, 0, 2), slice(whole, 2, 5), slice(whole, 5, 9), slice(whole, 9, 11));
        for (WebSocketPeer[] way : new WebSocketPeer[][] {{p.client(), p.upstream()}, {p.upstream(), p.client()}}) {
            boolean masked = way[0] == p.client();
            for (int i = 0; i < parts.size(); i++) {
                way[0].send(i == parts.size() - 1, i == 0 ? TEXT : CONTINUATION, parts.get(i));
                if (i == 1) way[0].send(true, PING, bytes("between"));
            }
            for (int i = 0; i < parts.size(); i++) {
                assertFrame(way[1].next(), i == parts.size() - 1, i == 0 ? TEXT : CONTINUATION, parts.get(i), masked);
                if (i == 1) assertFrame(way[1].next(), true, PING, bytes("between"), masked);
            }
            byte[] big = new byte[200_000];
            new Random(1).nextBytes(big);
            for (int i = 0; i < 4; i++) {
                way[0].send(i == 3, i == 0 ? BINARY : CONTINUATION, slice(big, i * 50_000, (i + 1) * 50_000));
            }
            for (int i = 0; i < 4; i++) {
                assertFrame(way[1].next(), i == 3, i == 0 ? BINARY : CONTINUATION,
                        slice(big, i * 50_000, (i + 1) * 50_000), masked);
            }
        }
        // the gateway answered none of the pings: the next frame each side sees is the other's text
        p.client().send(TEXT, "after");
        assertFrame(p.upstream().next(), true, TEXT, bytes("after"), true);
        p.upstream().send(TEXT, "after");
        assertFrame(p.client().next(), true, TEXT, bytes("after"), false);
    }

    private static byte[] slice(byte[] all, int from, int to) {
        return java.util.Arrays.copyOfRange(all, from, to);
    }

    @Test
    void pingsAndPongsAreRelayedAndNeverAnsweredByTheGateway() throws Exception {
        Pair p = open("/raw/echo");
        p.upstream().send(PING, "from upstream");
        assertFrame(p.client().next(), true, PING, bytes("from upstream"), false);
        p.client().send(TEXT, "before my pong");
        p.client().send(PONG, "from upstream");
        assertFrame(p.upstream().next(), true, TEXT, bytes("before my pong"), true);
        assertFrame(p.upstream().next(), true, PONG, bytes("from upstream"), true);

        p.client().send(PING, "from client");
        assertFrame(p.upstream().next(), true, PING, bytes("from client"), true);
        p.upstream().send(TEXT, "before my pong");
        p.upstream().send(PONG, "from client");
        assertFrame(p.client().next(), true, TEXT, bytes("before my pong"), false);
        assertFrame(p.client().next(), true, PONG, bytes("from client"), false);

        p.upstream().send(true, PONG, new byte[0]);
        assertFrame(p.client().next(), true, PONG, new byte[0], false);
    }

    @Test
    void closeCodesAndReasonsAreRelayedExactlyBothWays() throws Exception {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000,
                4999}) {
            Pair c = open("/raw/echo");
            c.client().close(code, "client says " + code + " ✓");
            assertClose(c.upstream().next(), code, "client says " + code + " ✓", true);
            c.upstream().close(code, "upstream agrees");
            assertClose(c.client().next(), code, "upstream agrees", false);
            c.upstream().drop(false);
            assertThat(c.client().endsWithin(PROMPTLY)).as("the gateway closes the client's connection").isTrue();

            Pair u = open("/raw/echo");
            u.upstream().close(code, "upstream says " + code);
            assertClose(u.client().next(), code, "upstream says " + code, false);
            u.client().close(code, "client agrees");
            assertClose(u.upstream().next(), code, "client agrees", true);
            u.upstream().drop(false);
            assertThat(u.client().endsWithin(PROMPTLY)).as("the gateway closes the client's connection").isTrue();
        }
    }

    private static void assertClose(WebSocketPeer.Frame frame, int code, String reason, boolean masked) {
        assertThat(frame.opcode()).as(frame.toString()).isEqualTo(CLOSE);
        assertThat(frame.masked()).as("mask of " + frame).isEqualTo(masked);
        assertThat(frame.closeCode()).isEqualTo(code);
        assertThat(frame.closeReason()).isEqualTo(reason);
    }

    @Test
    void aCloseWithoutACodeStaysWithoutOneBothWays() throws Exception {
        Pair c = open("/raw/echo");
        c.client().send(true, CLOSE, new byte[0]);
        assertFrame(c.upstream().next(), true, CLOSE, new byte[0], true);
        c.upstream().send(true, CLOSE, new byte[0]);
        assertFrame(c.client().next(), true, CLOSE, new byte[0], false);

        Pair u = open("/raw/echo");
        u.upstream().send(true, CLOSE, new byte[0]);
        assertFrame(u.client().next(), true, CLOSE, new byte[0], false);
        u.client().close(1000, "");
        assertClose(u.upstream().next(), 1000, "", true);
    }

    @Test
    void anUpstreamThatRefusesHasItsStatusPassedBackAndABadAcceptIs502() throws Exception {
        for (int status : new int[] {400, 403, 404, 409, 503}) {
            WebSocketPeer client = connect("/raw/refuse/" + status, "", new byte[0]);
            assertThat(client.status()).isEqualTo(status);
            assertThat(client.head).contains("application/problem+json");
        }
        assertThat(connect("/raw/bad-accept", "", new byte[0]).status()).isEqualTo(502);
    }

    @Test
    void theUpstreamHandshakeCarriesTheRequestAndFramesRightBehindEitherHead() throws Exception {
        byte[] early = WebSocketPeer.encode(0x81, bytes("sent with the upgrade"), true);
        WebSocketPeer client = connect("/raw/early?room=7",
                "Sec-WebSocket-Protocol: other, chat\r\nX-Custom: kept\r\nOrigin: https://app.example.com", early);
        assertThat(client.status()).isEqualTo(101);
        assertThat(WebSocketPeer.header(client.head, "sec-websocket-protocol")).isEqualTo("chat");
        WebSocketPeer upstream = upstreams.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(upstream).isNotNull();
        peers.add(upstream);
        String head = upstream.head;
        assertThat(head).startsWith("GET /early?room=7 HTTP/1.1\r\n");
        assertThat(WebSocketPeer.header(head, "host")).isEqualTo("127.0.0.1:" + upstreamServer.getLocalPort());
        assertThat(WebSocketPeer.header(head, "upgrade")).isEqualTo("websocket");
        assertThat(WebSocketPeer.header(head, "connection")).isEqualTo("Upgrade");
        assertThat(WebSocketPeer.header(head, "sec-websocket-version")).isEqualTo("13");
        assertThat(java.util.Base64.getDecoder().decode(WebSocketPeer.header(head, "sec-websocket-key"))).hasSize(16);
        assertThat(WebSocketPeer.header(head, "sec-websocket-protocol")).isEqualTo("other, chat");
        assertThat(WebSocketPeer.header(head, "x-custom")).isEqualTo("kept");
        assertThat(WebSocketPeer.header(head, "origin")).isEqualTo("https://app.example.com");
        assertThat(WebSocketPeer.header(head, "x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(WebSocketPeer.header(head, "x-request-id"))
                .isEqualTo(WebSocketPeer.header(client.head, "x-request-id"));
        assertFrame(upstream.next(), true, TEXT, bytes("sent with the upgrade"), true);
        assertFrame(client.next(), true, TEXT, bytes("early"), false);
    }

    @Test
    void anUpstreamThatDiesClosesTheClientWith1011Promptly() throws Exception {
        for (boolean reset : new boolean[] {false, true}) {
            Pair p = open("/raw/echo");
            p.client().send(TEXT, "hello");
            assertFrame(p.upstream().next(), true, TEXT, bytes("hello"), true);
            long start = System.nanoTime();
            p.upstream().drop(reset);
            WebSocketPeer.Frame close = p.client().next();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).as(close.closeReason()).isEqualTo(1011);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
            p.client().close(1011, "");
            assertThat(p.client().endsWithin(PROMPTLY)).isTrue();
        }
        // dying inside a frame is the same
        Pair p = open("/raw/echo");
        p.upstream().sendRaw(new byte[] {(byte) 0x82, 126, 0x10});
        p.upstream().drop(false);
        WebSocketPeer.Frame close = p.client().next();
        assertThat(close.closeCode()).isEqualTo(1011);
    }

    @Test
    void aFrameOverTheRoutesLimitClosesBothSidesWith1009InEitherDirection() throws Exception {
        byte[] limit = new byte[64 * 1024];
        byte[] over = new byte[64 * 1024 + 1];
        for (boolean fromUpstream : new boolean[] {true, false}) {
            Pair p = open("/small/echo");
            WebSocketPeer sender = fromUpstream ? p.upstream() : p.client();
            WebSocketPeer receiver = fromUpstream ? p.client() : p.upstream();
            sender.send(true, BINARY, limit);
            assertFrame(receiver.next(), true, BINARY, limit, !fromUpstream);
            sender.send(true, BINARY, over);
            // the frame does not arrive; both sides get 1009 instead
            WebSocketPeer.Frame toReceiver = receiver.next();
            WebSocketPeer.Frame toSender = sender.next();
            assertThat(toReceiver.opcode()).as(toReceiver.toString()).isEqualTo(CLOSE);
            assertThat(toReceiver.closeCode()).isEqualTo(1009);
            assertThat(toSender.opcode()).as(toSender.toString()).isEqualTo(CLOSE);
            assertThat(toSender.closeCode()).isEqualTo(1009);
            assertThat(toSender.closeReason()).isEqualTo("frame larger than 65536 bytes");
            // the replies complete both handshakes; the gateway keeps reading past the skipped payload to see them
            p.client().close(1009, "");
            p.upstream().close(1009, "");
            p.upstream().drop(false);
            assertThat(p.client().endsWithin(PROMPTLY)).isTrue();
        }
    }

    @Test
    void protocolViolationsAreClosedWith1002AndTheOtherSideIsToldWhy() throws Exception {
        byte[] textStart = WebSocketPeer.encode(0x01, bytes("start"), true);
        List<byte[]> fromClient = List.of(WebSocketPeer.encode(0x81, bytes("unmasked"), false),
                WebSocketPeer.encode(0xC1, bytes("reserved bit"), true),
                WebSocketPeer.encode(0x80, bytes("continuation of nothing"), true),
                concat(textStart, WebSocketPeer.encode(0x81, bytes("a new message inside it"), true)),
                WebSocketPeer.encode(0x09, bytes("fragmented ping"), true),
                WebSocketPeer.encode(0x89, new byte[126], true),
                WebSocketPeer.encode(0x88, new byte[] {0x03}, true),
                WebSocketPeer.encode(0x88, new byte[] {0x03, (byte) 0xED}, true),
                WebSocketPeer.encode(0x83, bytes("opcode 3"), true));
        for (byte[] bad : fromClient) {
            Pair p = open("/raw/echo");
            p.client().sendRaw(bad);
            assertClosedWith(p.client(), 1002);
            assertClosedWith(p.upstream(), 1001);
            p.client().close(1002, "");
            assertThat(p.client().endsWithin(PROMPTLY)).as("the client's close reply is still read").isTrue();
        }
        List<byte[]> fromUpstream = List.of(WebSocketPeer.encode(0x81, bytes("masked"), true),
                WebSocketPeer.encode(0xA2, bytes("reserved bit"), false),
                WebSocketPeer.encode(0x08, new byte[0], false),
                WebSocketPeer.encode(0x88, new byte[] {0x03, (byte) 0xEE}, false),
                WebSocketPeer.encode(0x88, new byte[] {0x03, (byte) 0xE7}, false),
                WebSocketPeer.encode(0x8B, bytes("opcode 11"), false));
        for (byte[] bad : fromUpstream) {
            Pair p = open("/raw/echo");
            p.upstream().sendRaw(bad);
            assertClosedWith(p.upstream(), 1002);
            WebSocketPeer.Frame toClient = assertClosedWith(p.client(), 1011);
            assertThat(toClient.closeReason()).isEqualTo("upstream broke the WebSocket protocol");
        }
    }

    /** The next frames up to a close (a valid first fragment may come first): it has {@code code} and a reason. */
    private static WebSocketPeer.Frame assertClosedWith(WebSocketPeer peer, int code) throws IOException {
        WebSocketPeer.Frame frame = peer.next();
        if (frame.opcode() != CLOSE) frame = peer.next();
        assertThat(frame.opcode()).as(frame.toString()).isEqualTo(CLOSE);
        assertThat(frame.closeCode()).as(frame.closeReason()).isEqualTo(code);
        assertThat(frame.closeReason()).isNotEmpty();
        return frame;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
