package dev.gateway.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A bare RFC 6455 endpoint for tests, on either end of the gateway, that writes and reads single frames exactly as
 * given: tests see fragment boundaries, masks and close payloads as the gateway put them on the wire, and can send
 * what a library would refuse to (a fragment ending inside a character, an unmasked client frame, reserved bits).
 */
final class WebSocketPeer implements Closeable {
    static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One frame as it was on the wire, payload unmasked. */
    record Frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String body = payload.length > 40 ? payload.length + " bytes" : HexFormat.of().formatHex(payload);
            return (fin ? "fin " : "") + "opcode " + opcode + (masked ? " masked " : " ") + body;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean client;
    /** The other end's upgrade request (server) or answer (client) head. */
    final String head;

    private WebSocketPeer(Socket socket, InputStream in, boolean client, String head) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.client = client;
        this.head = head;
        socket.setSoTimeout((int) WAIT.toMillis());
    }

    /**
     * Sends an upgrade for {@code target} to 127.0.0.1:{@code port} with {@code extraHeaders} (CRLF-separated lines)
     * and, in the same write, {@code early} bytes (frames sent before the answer); any answer is returned.
     */
    static WebSocketPeer connect(int port, String target, String extraHeaders, byte[] early) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) WAIT.toMillis());
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n"
                + (extraHeaders.isEmpty() ? "" : extraHeaders + "\r\n") + "\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(request.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(early);
        socket.getOutputStream().write(all.toByteArray());
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String head = RawHttp.readUntil(in, "\r\n\r\n");
        if (head.startsWith("HTTP/1.1 101") && !head.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: "
                + accept(key).toLowerCase(Locale.ROOT))) {
            throw new IOException("wrong Sec-WebSocket-Accept in " + head);
        }
        return new WebSocketPeer(socket, in, true, head);
    }

    /**
     * Accepts one connection on {@code server} and reads its upgrade request. {@code answer} decides from the request
     * head: null switches with a 101 (plus the bytes {@code early} gives in the same write), else the status line and
     * headers to answer with (no body), after which the connection closes.
     */
    static WebSocketPeer accept(ServerSocket server, Function<String, String> answer, Function<String, byte[]> early)
            throws IOException {
        Socket socket = server.accept();
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String head = RawHttp.readUntil(in, "\r\n\r\n");
        String refusal = answer.apply(head);
        OutputStream out = socket.getOutputStream();
        if (refusal != null) {
            out.write((refusal + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.close();
            return new WebSocketPeer(socket, in, false, head);
        }
        String key = header(head, "sec-websocket-key");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n" + extraAnswerHeaders(head) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(early.apply(head));
        out.write(all.toByteArray());
        out.flush();
        return new WebSocketPeer(socket, in, false, head);
    }

    /** Picks "chat" when it is offered, as a server choosing a subprotocol would. */
    private static String extraAnswerHeaders(String head) {
        String offered = header(head, "sec-websocket-protocol");
        return offered != null && Arrays.asList(offered.split("\\s*,\\s*")).contains("chat")
                ? "Sec-WebSocket-Protocol: chat\r\n" : "";
    }

    /** The first value of header {@code name} in a request or answer head, or null. */
    static String header(String head, String name) {
        return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(null);
    }

    int status() {
        return Integer.parseInt(head.split(" ", 3)[1]);
    }

    /** A frame as bytes: masked (with a random key) when this peer is the client. */
    byte[] encode(boolean fin, int opcode, byte[] payload) {
        return encode(fin ? 0x80 | opcode : opcode, payload, client);
    }

    /** {@code first} is the whole first byte (FIN, reserved bits, opcode). */
    static byte[] encode(int first, byte[] payload, boolean mask) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write(first);
        int maskBit = mask ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            b.write(maskBit | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length & 0xFF);
        } else {
            b.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) b.write((int) ((long) payload.length >>> shift) & 0xFF);
        }
        byte[] key = new byte[4];
        if (mask) {
            ThreadLocalRandom.current().nextBytes(key);
            b.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) b.write(payload[i] ^ key[i & 3]);
        return b.toByteArray();
    }

    void send(boolean fin, int opcode, byte[] payload) throws IOException {
        sendRaw(encode(fin, opcode, payload));
    }

    void send(int opcode, String text) throws IOException {
        send(true, opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void close(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        send(true, CLOSE, payload);
    }

    /** The next frame; fails when none comes within the wait. */
    Frame next() throws IOException {
        byte[] h = in.readNBytes(2);
        if (h.length < 2) throw new EOFException("the connection ended instead of a frame");
        boolean masked = (h[1] & 0x80) != 0;
        long length = h[1] & 0x7F;
        if (length == 126) length = number(in.readNBytes(2));
        if (length == 127) length = number(in.readNBytes(8));
        byte[] key = masked ? in.readNBytes(4) : new byte[4];
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) throw new EOFException("the connection ended inside a frame");
        for (int i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
        if ((h[0] & 0x70) != 0) throw new IOException("reserved bits set in " + HexFormat.of().formatHex(h));
        return new Frame((h[0] & 0x80) != 0, h[0] & 0x0F, payload, masked);
    }

    /** True when the other end closes the connection within {@code max} (nothing but the end may come). */
    boolean endsWithin(Duration max) throws IOException {
        socket.setSoTimeout((int) max.toMillis());
        try {
            int b = in.read();
            if (b != -1) throw new IOException("unexpected byte " + b + " instead of the end of the connection");
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset: ended too, though less politely
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout((int) WAIT.toMillis());
        }
    }

    /** Ends the TCP connection: with a FIN, or with a reset when {@code reset}. */
    void drop(boolean reset) throws IOException {
        if (reset) socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static long number(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) n = n << 8 | b & 0xFF;
        return n;
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
