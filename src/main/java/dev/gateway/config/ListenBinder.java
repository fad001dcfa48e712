package dev.gateway.config;

import java.time.Duration;
import java.util.List;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code listen} section; absent keys take {@link ListenConfig#DEFAULTS}. */
final class ListenBinder {
    static final List<String> KEYS = List.of("port", "host", "shutdown-grace", "max-body-size", "max-header-size");

    private final NodeReader reader;

    ListenBinder(NodeReader reader) {
        this.reader = reader;
    }

    /** The bound section, or null after recording errors. */
    ListenConfig bind(Node node) {
        ListenConfig d = ListenConfig.DEFAULTS;
        if (node == null) return d;
        Fields f = reader.fields(node, "listen", KEYS);
        if (f == null) return null;
        boolean ok = true;

        String host = d.host();
        if (f.get("host") != null) {
            host = host(reader, f);
            ok &= host != null;
        }
        Integer port = d.port();
        if (f.get("port") != null) {
            port = reader.integer(f.get("port"), f.child("port"), 1, 65535);
            ok &= port != null;
        }
        Duration grace = d.shutdownGrace();
        if (f.get("shutdown-grace") != null) {
            grace = reader.duration(f.get("shutdown-grace"), f.child("shutdown-grace"), true);
            ok &= grace != null;
        }
        Long body = d.maxBodySize();
        if (f.get("max-body-size") != null) {
            body = reader.size(f.get("max-body-size"), f.child("max-body-size"));
            ok &= body != null;
        }
        Long header = d.maxHeaderSize();
        if (f.get("max-header-size") != null) {
            header = reader.size(f.get("max-header-size"), f.child("max-header-size"));
            ok &= header != null;
        }
        return ok ? new ListenConfig(host, port, grace, body, header) : null;
    }

    /** The {@code host} written in {@code f} (which must have one), or null after recording an error. */
    static String host(NodeReader reader, Fields f) {
        String host = reader.string(f.get("host"), f.child("host"));
        if (host != null && (host.isBlank() || host.contains(" ") || host.contains("/"))) {
            reader.findings().error(f.get("host"), f.child("host"), "invalid " + f.path() + " host '" + host
                    + "' (expected an address such as 0.0.0.0, 127.0.0.1 or ::)");
            return null;
        }
        return host;
    }
}
