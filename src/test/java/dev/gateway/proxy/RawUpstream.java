package dev.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/1.1 server on 127.0.0.1 whose answers a test writes byte for byte: it reads each request (head, and a
 * body framed by Content-Length or chunked), records it, and writes what {@link Script} returns; the script can also
 * close the connection. Counts the connections it accepted.
 */
final class RawUpstream implements AutoCloseable {
    /**
     * A request as received: the connection it came on (0, 1, ...), its head and its body (de-chunked); a script may
     * write its answer to {@code out} itself (slowly, say) and return an answer with no bytes.
     */
    record Received(int connection, String head, byte[] body, boolean chunked, OutputStream out) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    /** What to answer: the raw bytes, and whether to close the connection after them. */
    record Answer(String raw, boolean close) {
        static Answer keep(String raw) {
            return new Answer(raw, false);
        }
    }

    interface Script {
        Answer answer(Received request) throws Exception;
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Script script;

    RawUpstream(Script script) throws IOException {
        this(script, javax.net.ServerSocketFactory.getDefault());
    }

    /** {@code sockets}: an SSLServerSocketFactory for an https upstream. */
    RawUpstream(Script script, javax.net.ServerSocketFactory sockets) throws IOException {
        this.script = script;
        this.server = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String origin() {
        return (server instanceof javax.net.ssl.SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int index = connections.getAndIncrement();
                Thread.ofVirtual().start(() -> serve(s, index));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int index) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                String lower = head.toLowerCase(Locale.ROOT);
                boolean chunked = lower.contains("\r\ntransfer-encoding: chunked");
                byte[] body = chunked ? readChunked(in) : in.readNBytes(length(lower));
                Received r = new Received(index, head, body, chunked, out);
                received.add(r);
                Answer a = script.answer(r);
                out.write(a.raw().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (a.close()) return;
            }
        } catch (Exception e) {
            // the client went away, or the test closed the server
        }
    }

    private static int length(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) return 0;
        int end = lowerHead.indexOf("\r\n", at + 2);
        return Integer.parseInt(lowerHead.substring(at + 17, end < 0 ? lowerHead.length() : end).strip());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) return b.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        }
        return null;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int n = Integer.parseInt(size.strip(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) if (c != '\r') b.append((char) c);
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
