package dev.gateway.websocket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The opening handshake of the upstream leg (RFC 6455 4.1) on a plain socket, or a TLS one for {@code wss} (the JVM's
 * default trust store, with host name verification): the GET with the forwarded headers and the offered
 * subprotocols, then the answer, which is either a verified 101 or a status to pass back to the client. The whole
 * exchange, TLS included, is bounded by the handshake timeout; connecting, by the connect timeout.
 */
final class UpstreamUpgrade {
    private static final int MAX_ANSWER_HEAD = 64 * 1024;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Set here, or meaningless on an upgrade: never copied from the client's request. */
    private static final Set<String> OWN = Set.of("host", "upgrade", "connection", "content-length",
            "transfer-encoding", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol",
            "sec-websocket-extensions", "sec-websocket-accept");

    /** What the upstream answered. */
    sealed interface Answer {
        /** 101, verified: {@code subprotocol} is its choice, empty for none. */
        record Switched(SocketWire wire, String subprotocol) implements Answer {
        }

        /** Any other final status. */
        record Refused(int status) implements Answer {
        }
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private UpstreamUpgrade() {
    }

    /** Throws {@link SocketTimeoutException} when a timeout ran out, another IOException when the upgrade failed. */
    static Answer perform(URI uri, List<Map.Entry<String, String>> headers, List<String> subprotocols,
                          Duration connectTimeout, Duration handshakeTimeout, RandomGenerator random)
            throws IOException {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        Socket socket = new Socket();
        boolean switched = false;
        try {
            socket.setTcpNoDelay(true);
            int connectMillis = (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
            socket.connect(new InetSocketAddress(host, port), connectMillis);
            long deadline = System.nanoTime() + handshakeTimeout.toNanos();
            if (tls) socket = tls(socket, host, port, deadline);
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            socket.getOutputStream().write(request(uri, key, headers, subprotocols));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            Head head;
            do {
                head = readHead(in, socket, deadline);
            } while (head.status() >= 100 && head.status() < 200 && head.status() != 101);
            if (head.status() != 101) return new Answer.Refused(head.status());
            String chosen = verify(head, key, subprotocols);
            socket.setSoTimeout(0);
            switched = true;
            return new Answer.Switched(new SocketWire(socket, in), chosen);
        } finally {
            if (!switched) socket.close();
        }
    }

    private static Socket tls(Socket plain, String host, int port, long deadline) throws IOException {
        SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.setSoTimeout(remaining(deadline));
        socket.startHandshake();
        return socket;
    }

    private static byte[] request(URI uri, String key, List<Map.Entry<String, String>> headers,
                                  List<String> subprotocols) {
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) target += "?" + uri.getRawQuery();
        StringBuilder b = new StringBuilder(512).append("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(uri.getRawAuthority()).append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\nSec-WebSocket-Version: 13\r\n");
        if (!subprotocols.isEmpty()) {
            b.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        }
        for (Map.Entry<String, String> h : headers) {
            // a header that cannot go on the wire as it is (a value from a token claim, say) is dropped
            String name = h.getKey();
            if (OWN.contains(name.toLowerCase(Locale.ROOT)) || !fieldName(name) || !fieldValue(h.getValue())) continue;
            b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** RFC 4.1: the 101 must say websocket and carry the accept value for our key; nothing we did not offer. */
    private static String verify(Head head, String key, List<String> offered) throws IOException {
        String upgrade = head.headers().getOrDefault("upgrade", "");
        String connection = head.headers().getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        if (!upgrade.equalsIgnoreCase("websocket") || !List.of(connection.split("\\s*,\\s*")).contains("upgrade")) {
            throw new IOException("the upstream's 101 is not a WebSocket upgrade");
        }
        if (!accept(key).equals(head.headers().get("sec-websocket-accept"))) {
            throw new IOException("the upstream's Sec-WebSocket-Accept does not match the key");
        }
        if (head.headers().containsKey("sec-websocket-extensions")) {
            throw new IOException("the upstream chose an extension that was not offered");
        }
        String chosen = head.headers().getOrDefault("sec-websocket-protocol", "");
        if (!chosen.isEmpty() && !offered.contains(chosen)) {
            throw new IOException("the upstream chose subprotocol '" + chosen + "', which was not offered");
        }
        return chosen;
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** The status line and headers (names lower-cased, repeated ones joined with commas); the body is not read. */
    private static Head readHead(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            if (in.available() == 0) socket.setSoTimeout(remaining(deadline));
            int b = in.read();
            if (b == -1) throw new IOException("the upstream closed the connection during the upgrade");
            if (bytes.size() == MAX_ANSWER_HEAD) throw new IOException("the upstream's upgrade answer head is too large");
            bytes.write(b);
            last4 = last4 << 8 | b;
        }
        List<String> lines = bytes.toString(StandardCharsets.ISO_8859_1).lines().toList();
        String[] status = lines.getFirst().split(" ", 3);
        int code;
        try {
            code = status.length >= 2 && status[0].startsWith("HTTP/1.") ? Integer.parseInt(status[1]) : -1;
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 599) throw new IOException("the upstream's answer is not HTTP/1.1: " + lines.getFirst());
        Map<String, String> headers = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        return new Head(code, headers);
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (millis <= 0) throw new SocketTimeoutException("the upstream did not answer the upgrade in time");
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static boolean fieldName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) return false;
        }
        return true;
    }

    private static boolean fieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7F || c > 0xFF) return false;
        }
        return true;
    }
}
