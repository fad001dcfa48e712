package dev.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gateway.config.WebSocketConfig;

/**
 * A route's WebSocket settings as the upgrade runs them: where the bearer token may come from (Authorization, else
 * the configured query parameter, else a prefixed Sec-WebSocket-Protocol entry), what goes upstream instead, and the
 * upstream's timeouts. {@code key} identifies the route's meaning: sockets survive a reload that keeps an equal key.
 * Immutable; built by the snapshot factory.
 */
public record WebSocketStage(String route, Object key, WebSocketConfig config, Duration connectTimeout,
                             Duration handshakeTimeout) {

    /** The Authorization values to check: the header's, else a token from the query or a subprotocol. */
    public List<String> authorization(List<String> header, String rawQuery, List<String> protocols) {
        if (!header.isEmpty()) return header;
        Optional<String> token = config.tokenQuery().flatMap(name -> queryValue(rawQuery, name));
        if (token.isEmpty() && config.tokenProtocol().isPresent()) {
            String prefix = config.tokenProtocol().get();
            token = protocols.stream().filter(p -> p.startsWith(prefix) && p.length() > prefix.length())
                    .map(p -> p.substring(prefix.length())).findFirst();
        }
        return token.map(t -> List.of("Bearer " + t)).orElse(List.of());
    }

    /** The query to send upstream: without the token parameter. */
    public String upstreamQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty() || config.tokenQuery().isEmpty()) return rawQuery;
        String name = config.tokenQuery().get();
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (!pair.equals(name) && !pair.startsWith(name + "=")) kept.add(pair);
        }
        return String.join("&", kept);
    }

    /** The subprotocols to offer upstream: without the one carrying the token. */
    public List<String> upstreamProtocols(List<String> protocols) {
        if (config.tokenProtocol().isEmpty()) return protocols;
        String prefix = config.tokenProtocol().get();
        return protocols.stream().filter(p -> !p.startsWith(prefix)).toList();
    }

    private static Optional<String> queryValue(String rawQuery, String name) {
        if (rawQuery == null) return Optional.empty();
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=") && pair.length() > name.length() + 1) {
                return Optional.of(java.net.URLDecoder.decode(pair.substring(name.length() + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
