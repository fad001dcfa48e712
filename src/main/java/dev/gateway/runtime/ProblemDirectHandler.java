package dev.gateway.runtime;

import dev.gateway.observe.RequestIds;
import dev.gateway.pipeline.Problem;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers errors Helidon detects before routing (malformed requests, oversized headers) as problem+json, so
 * every error the gateway makes has the same shape. Oversized headers become 431 rather than Helidon's 400.
 */
final class ProblemDirectHandler implements DirectHandler {
    private static final String HEADER_TOO_LARGE = "Header size exceeded";

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Status answer = status;
        String detail = "the request could not be parsed";
        if (message != null && message.contains(HEADER_TOO_LARGE)) {
            answer = Status.create(431, "Request Header Fields Too Large");
            detail = "request headers are larger than the limit";
        } else if (answer.code() >= 500) {
            detail = "the gateway failed to handle this request";
        }
        String requestId = RequestIds.acceptOrGenerate(request.headers().first(Problem.X_REQUEST_ID).orElse(null));
        byte[] body = new Problem(answer.code(), answer.reasonPhrase(), detail, requestId).body();
        return TransportResponse.builder()
                .status(answer)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .header(Problem.X_REQUEST_ID, requestId)
                .entity(body)
                .build();
    }
}
