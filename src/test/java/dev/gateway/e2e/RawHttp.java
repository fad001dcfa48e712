package dev.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for what java.net.http will not send: hop-by-hop headers, oversized
 * headers, dot segments in the path, a hand-made chunked body. One request per connection.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A parsed response; header names are lower case, each with all its values in order. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        boolean has(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and an optional body. */
    static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            return read(socket.getInputStream(), head.startsWith("HEAD "));
        }
    }

    /** Sends each request (head only, no body) on one keep-alive connection, reading each answer before the next. */
    static List<Response> sequence(int port, String... heads) throws IOException {
        List<Response> out = new ArrayList<>();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            for (String head : heads) {
                socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                out.add(read(in, head.startsWith("HEAD ")));
            }
            socket.setSoTimeout(300);
            try {
                int extra = in.read();
                if (extra >= 0) throw new IOException("unexpected bytes after the last answer: " + (char) extra + "...");
            } catch (java.net.SocketTimeoutException quiet) {
                // nothing more was sent: as it should be
            }
        }
        return out;
    }

    static Response get(int port, String target, String... headerLines) throws IOException {
        StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close");
        for (String h : headerLines) head.append("\r\n").append(h);
        return send(port, head.toString(), null);
    }

    /** Encodes {@code total} bytes of 'a' as chunks of {@code chunkSize}, with the last-chunk marker. */
    static byte[] chunked(int total, int chunkSize) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk = new byte[chunkSize];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (int left = total; left > 0; left -= chunkSize) {
            int n = Math.min(chunkSize, left);
            b.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(chunk, 0, n);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** Reads up to and including {@code end} (ISO-8859-1); the end of the stream before it is an EOFException. */
    static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.length() < end.length() || seen.indexOf(end, seen.length() - end.length()) < 0) {
            int b = in.read();
            if (b < 0) throw new EOFException("the stream ended before " + end.strip() + ": " + seen);
            seen.append((char) b);
        }
        return seen.toString();
    }

    static Response read(InputStream in, boolean headRequest) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        Response noBody = new Response(status, headers, new byte[0]);
        if (headRequest || status == 204 || status == 304 || status < 200) return noBody;
        String te = noBody.header("transfer-encoding");
        String cl = noBody.header("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: ignored
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
            return new Response(status, headers, body.toByteArray());
        }
        if (cl != null) {
            int n = Integer.parseInt(cl);
            byte[] body = in.readNBytes(n);
            if (body.length != n) throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
            return new Response(status, headers, body);
        }
        return new Response(status, headers, in.readAllBytes());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new EOFException("connection closed mid-line: " + b);
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
