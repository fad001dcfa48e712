package dev.gateway.proxy;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One request to send upstream: the target origin ({@code http://host:port}), the path with query as it goes on
 * the request line, end-to-end headers only (no Host, Content-Length or hop-by-hop headers: the client sets
 * those), the body as a stream ({@code null} for none; {@code contentLength} -1 when unknown, i.e. chunked), and how
 * long to wait for response headers at most ({@code null}: the client's default).
 */
public record UpstreamRequest(String method, URI origin, String pathAndQuery, List<Map.Entry<String, String>> headers,
                              InputStream body, long contentLength, Duration responseTimeout) {
}
