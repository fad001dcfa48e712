package dev.gateway.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import dev.gateway.observe.RequestIds;
import dev.gateway.pipeline.Problem;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.Bytes;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Answers an HTTP/1.0 request with a 505 problem and closes its connection. Helidon 4.2.6 serves HTTP/1.1 only
 * and closes an HTTP/1.0 connection without a word, which a client reports as an empty reply.
 */
final class Http10Refusal implements ServerConnectionSelector {
    private static final String VERSION = "HTTP/1.0";

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int lf = data.indexOf(Bytes.LF_BYTE);
        if (lf < 0) return Support.UNKNOWN;
        String line = data.readString(lf);
        return line.strip().endsWith(VERSION) ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new ServerConnection() {
            @Override
            public void handle(Limit limit) {
                String requestId = RequestIds.acceptOrGenerate(null);
                byte[] body = new Problem(505, "HTTP Version Not Supported", "the gateway speaks HTTP/1.1; "
                        + "send the request as HTTP/1.1", requestId).body();
                String head = "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: " + Problem.CONTENT_TYPE
                        + "\r\nX-Request-Id: " + requestId + "\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n";
                BufferData out = BufferData.growing(head.length() + body.length);
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                ctx.dataWriter().writeNow(out);
            }

            @Override
            public Duration idleTime() {
                return Duration.ZERO;
            }

            @Override
            public void close(boolean interrupt) {
                // handle writes one answer and returns; Helidon then closes the socket
            }
        };
    }
}
