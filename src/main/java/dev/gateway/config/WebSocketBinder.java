package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds a route's {@code websocket} mapping; absent keys take the defaults documented on {@link WebSocketConfig}. */
final class WebSocketBinder {
    static final List<String> KEYS = List.of("idle-timeout", "max-frame-size", "token-query", "token-protocol");

    private final NodeReader reader;
    private final Findings findings;

    WebSocketBinder(NodeReader reader) {
        this.reader = reader;
        this.findings = reader.findings();
    }

    /** Empty when {@code node} is null (not written); null after recording errors. */
    Optional<WebSocketConfig> bind(Node node, String path) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        boolean ok = true;
        Duration idle = WebSocketConfig.DEFAULT_IDLE_TIMEOUT;
        if (f.get("idle-timeout") != null) {
            idle = reader.duration(f.get("idle-timeout"), f.child("idle-timeout"), false);
            ok &= idle != null;
        }
        long maxFrame = WebSocketConfig.DEFAULT_MAX_FRAME_SIZE;
        if (f.get("max-frame-size") != null) {
            Long size = reader.size(f.get("max-frame-size"), f.child("max-frame-size"));
            if (size != null && size > WebSocketConfig.MAX_FRAME_LIMIT) {
                findings.error(f.get("max-frame-size"), f.child("max-frame-size"), "must be at most 16MiB (got "
                        + size + " bytes): larger frames are held in memory whole");
                size = null;
            }
            ok &= size != null;
            if (size != null) maxFrame = size;
        }
        Optional<String> query = token(f, "token-query");
        Optional<String> protocol = token(f, "token-protocol");
        ok &= query != null && protocol != null;
        return ok ? Optional.of(new WebSocketConfig(idle, maxFrame, query, protocol)) : null;
    }

    /** An optional name made of HTTP token characters; null after recording an error. */
    private Optional<String> token(Fields f, String key) {
        if (f.get(key) == null) return Optional.empty();
        String text = reader.string(f.get(key), f.child(key));
        if (text == null) return null;
        if (!RouteBinder.TOKEN.matcher(text).matches()) {
            findings.error(f.get(key), f.child(key), "invalid name '" + text + "' (letters, digits and !#$%&'*+-.^_`|~)");
            return null;
        }
        return Optional.of(text);
    }
}
