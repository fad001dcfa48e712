package dev.gateway.pipeline;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * An error the gateway answers itself, as an RFC 9457 {@code application/problem+json} body carrying the request
 * id. Never includes a stack trace or internal detail beyond the short {@code detail} text.
 */
public record Problem(int status, String title, String detail, String requestId) {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** The request id header, sent upstream and returned to the client. */
    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");

    /** Answers {@code res} with this problem for {@code status}, its standard title and {@code detail}. */
    public static void send(ServerResponse res, Exchange ex, int status, String detail) {
        Status s = Status.create(status);
        byte[] body = new Problem(status, s.reasonPhrase(), detail, ex.requestId()).body();
        ex.status(status);
        res.status(s);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, CONTENT_TYPE));
        res.header(X_REQUEST_ID, ex.requestId());
        if ("HEAD".equals(ex.method())) {
            // Helidon does not drop the body of a HEAD answer itself; one sent would corrupt the connection
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
            return;
        }
        ex.bytesOut(body.length);
        res.send(body);
    }

    public byte[] body() {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"type\":\"about:blank\",\"title\":");
        Json.string(b, title);
        b.append(",\"status\":").append(status);
        if (detail != null) {
            b.append(",\"detail\":");
            Json.string(b, detail);
        }
        b.append(",\"request_id\":");
        Json.string(b, requestId);
        return b.append("}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
