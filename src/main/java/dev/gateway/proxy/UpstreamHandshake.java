package dev.gateway.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Where a WebSocket upgrade goes upstream: the {@code ws://} URI of the chosen target with the route's rewritten path
 * and the query, and the request headers to send (hop-by-hop, stripped and handshake headers removed; identity and
 * forwarding headers added). Immutable.
 */
public record UpstreamHandshake(URI uri, String origin, List<Map.Entry<String, String>> headers) {
    public UpstreamHandshake {
        headers = List.copyOf(headers);
    }
}
