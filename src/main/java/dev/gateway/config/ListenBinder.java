package dev.gateway.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code listen} section; absent keys take {@link ListenConfig#DEFAULTS}. */
final class ListenBinder {
    static final List<String> KEYS = List.of("port", "host", "shutdown-grace", "max-body-size", "max-header-size",
            "tls", "http2", "idle-timeout", "max-connections", "redirect-http");

    private final NodeReader reader;
    private final Path baseDir;
    private final Clock clock;

    /** {@code baseDir}: the config file's directory, for relative certificate paths; {@code clock} checks expiry. */
    ListenBinder(NodeReader reader, Path baseDir, Clock clock) {
        this.reader = reader;
        this.baseDir = baseDir;
        this.clock = clock;
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
        Optional<TlsConfig> tls = Optional.empty();
        if (f.get("tls") != null) {
            TlsConfig t = new TlsBinder(reader, baseDir, clock).bind(f.get("tls"), f.child("tls"));
            ok &= t != null;
            tls = Optional.ofNullable(t);
        }
        Boolean http2 = d.http2();
        if (f.get("http2") != null) {
            http2 = reader.bool(f.get("http2"), f.child("http2"));
            ok &= http2 != null;
        }
        Duration idle = d.idleTimeout();
        if (f.get("idle-timeout") != null) {
            idle = reader.duration(f.get("idle-timeout"), f.child("idle-timeout"), false);
            ok &= idle != null;
        }
        Integer maxConnections = d.maxConnections();
        if (f.get("max-connections") != null) {
            maxConnections = reader.integer(f.get("max-connections"), f.child("max-connections"), 1,
                    Integer.MAX_VALUE);
            ok &= maxConnections != null;
        }
        Optional<Integer> redirect = Optional.empty();
        if (f.get("redirect-http") != null) {
            Integer r = redirectPort(f, port);
            ok &= r != null;
            redirect = Optional.ofNullable(r);
        }
        return ok ? new ListenConfig(host, port, grace, body, header, tls, http2, idle, maxConnections, redirect)
                : null;
    }

    /** {@code redirect-http: { port: N }}: a port other than the listener's, and only beside tls; null after errors. */
    private Integer redirectPort(Fields listen, Integer httpsPort) {
        Node node = listen.get("redirect-http");
        Fields f = reader.fields(node, listen.child("redirect-http"), List.of("port"));
        if (f == null) return null;
        if (listen.get("tls") == null) {
            reader.findings().error(listen.keyNode("redirect-http"), f.path(), "redirect-http answers 308 to the "
                    + "HTTPS listener: it needs listen.tls");
            return null;
        }
        if (f.get("port") == null) {
            reader.findings().error(node, f.path(), "missing port (the plain-HTTP port to redirect from, e.g. 80)");
            return null;
        }
        Integer port = reader.integer(f.get("port"), f.child("port"), 1, 65535);
        if (port != null && port.equals(httpsPort)) {
            reader.findings().error(f.get("port"), f.child("port"), "port " + port + " is the HTTPS listener's; "
                    + "redirect-http needs a port of its own");
            return null;
        }
        return port;
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
