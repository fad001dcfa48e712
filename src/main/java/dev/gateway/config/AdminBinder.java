package dev.gateway.config;

import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the top-level {@code admin} and {@code readiness} sections. */
final class AdminBinder {
    static final List<String> ADMIN_KEYS = List.of("port", "host");
    static final List<String> READINESS_KEYS = List.of("require-healthy-upstreams");

    private AdminBinder() {
    }

    /** Empty when {@code node} is null; null after recording errors. {@code listen}: to refuse a shared port. */
    static Optional<AdminConfig> admin(NodeReader reader, Node node, ListenConfig listen) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, "admin", ADMIN_KEYS);
        if (f == null) return null;
        String host = f.get("host") == null ? AdminConfig.DEFAULT_HOST : ListenBinder.host(reader, f);
        if (f.get("port") == null) {
            reader.findings().error(f.node(), "admin",
                    "missing required key 'port' (the admin listener's port, e.g. 9090)");
            return null;
        }
        Integer port = reader.integer(f.get("port"), f.child("port"), 0, 65535);
        if (port == null || host == null) return null;
        if (listen != null && port != 0 && port == listen.port() && sameAddress(host, listen.host())) {
            reader.findings().error(f.get("port"), f.child("port"), "port " + port + " is the listen port; the admin "
                    + "listener needs a port of its own");
            return null;
        }
        return Optional.of(new AdminConfig(host, port));
    }

    /** {@link ReadinessConfig#DEFAULTS} when {@code node} is null; null after recording errors. */
    static ReadinessConfig readiness(NodeReader reader, Node node) {
        if (node == null) return ReadinessConfig.DEFAULTS;
        Fields f = reader.fields(node, "readiness", READINESS_KEYS);
        if (f == null) return null;
        Node value = f.get("require-healthy-upstreams");
        if (value == null) return ReadinessConfig.DEFAULTS;
        Boolean require = reader.bool(value, f.child("require-healthy-upstreams"));
        return require == null ? null : new ReadinessConfig(require);
    }

    private static boolean sameAddress(String a, String b) {
        return a.equals(b) || wildcard(a) || wildcard(b);
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
