package dev.gateway.runtime;

import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.security.Principal;
import java.security.cert.Certificate;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.Bytes;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Serves a connection that starts with an HTTP/1.0 request, as nginx does, where Helidon answers 505: the request
 * head is handed to Helidon's HTTP/1.1 connection as HTTP/1.1 with {@code Connection: close} (and a Host header
 * naming the listener when the client sent none, which HTTP/1.0 allows), so the response is HTTP/1.1-versioned and
 * the connection closes after it. Such a connection serves that one request: Helidon would refuse a second HTTP/1.0
 * request on it, and the head of a later one cannot be found without parsing the body before it.
 */
final class Http10Connections implements ServerConnectionSelector {
    private static final byte[] VERSION = " HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerConnectionSelector http1;
    private final int maxHead;

    /** {@code http1}: the listener's HTTP/1.1 selector; {@code maxHead}: the longest head read before giving up. */
    Http10Connections(ServerConnectionSelector http1, int maxHead) {
        this.http1 = http1;
        this.maxHead = maxHead;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int lf = data.indexOf(Bytes.LF_BYTE);
        if (lf < 0) return Support.UNKNOWN;
        String line = data.readString(lf + 1);
        return line.endsWith(" HTTP/1.0\r\n") ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        DataReader original = ctx.dataReader();
        byte[] head = rewritten(readHead(original), ctx.localPeer());
        boolean[] served = {false};
        DataReader reader = DataReader.create(() -> {
            if (!served[0]) {
                served[0] = true;
                return head;
            }
            original.ensureAvailable(); // a body after the head, read as the client sends it
            return original.readBytes(original.available());
        });
        return http1.connection(new Rewritten(ctx, reader, new Http10Peer(ctx.remotePeer())));
    }

    /** The request head and whatever of the body came with it (up to {@code maxHead} for the head). */
    private byte[] readHead(DataReader in) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            in.ensureAvailable();
            head.writeBytes(in.readBytes(in.available()));
            byte[] so = head.toByteArray();
            if (indexOf(so, END_OF_HEAD, 0) >= 0 || so.length > maxHead) return so;
        }
    }

    /** The head as HTTP/1.1, closing after the response, with a Host header. */
    static byte[] rewritten(byte[] head, PeerInfo local) {
        int lineEnd = indexOf(head, VERSION, 0);
        int end = indexOf(head, END_OF_HEAD, 0);
        if (lineEnd < 0 || end < 0) return head; // not a whole head: Helidon answers it as the malformed request it is
        String headers = new String(head, lineEnd + VERSION.length, Math.max(0, end + 2 - lineEnd - VERSION.length),
                StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        StringBuilder added = new StringBuilder(" HTTP/1.1\r\nConnection: close\r\n");
        if (!headers.startsWith("host:") && !headers.contains("\r\nhost:")) {
            added.append("Host: ").append(local.host()).append(':').append(local.port()).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + added.length());
        out.write(head, 0, lineEnd);
        out.writeBytes(added.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(head, lineEnd + VERSION.length, head.length - lineEnd - VERSION.length);
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) if (data[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    /**
     * The client of a connection that started as HTTP/1.0: how the handler tells such a request from an HTTP/1.1 one
     * (its request line says 1.1 by then), which no header could forge.
     */
    record Http10Peer(PeerInfo peer) implements PeerInfo {
        @Override
        public SocketAddress address() {
            return peer.address();
        }

        @Override
        public String host() {
            return peer.host();
        }

        @Override
        public int port() {
            return peer.port();
        }

        @Override
        public Optional<Principal> tlsPrincipal() {
            return peer.tlsPrincipal();
        }

        @Override
        public Optional<Certificate[]> tlsCertificates() {
            return peer.tlsCertificates();
        }
    }

    /** The connection's context with the rewritten reader in place of the socket's, and the client marked. */
    private record Rewritten(ConnectionContext ctx, DataReader dataReader, PeerInfo remotePeer)
            implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
