package dev.gateway.config;

import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Binds the {@code client-ip} section: {@code trusted-proxies}, a list of IP addresses or CIDR blocks. */
final class ClientIpBinder {
    static final List<String> KEYS = List.of("trusted-proxies");

    private ClientIpBinder() {
    }

    /** {@link ClientIpConfig#NONE} when {@code node} is null; null after recording errors. */
    static ClientIpConfig bind(NodeReader reader, Node node) {
        if (node == null) return ClientIpConfig.NONE;
        Fields f = reader.fields(node, "client-ip", KEYS);
        if (f == null) return null;
        if (f.get("trusted-proxies") == null) return ClientIpConfig.NONE;
        String path = f.child("trusted-proxies");
        List<String> blocks = reader.strings(f.get("trusted-proxies"), path);
        if (blocks == null) return null;
        List<String> out = new ArrayList<>();
        boolean list = f.get("trusted-proxies") instanceof SequenceNode;
        for (int i = 0; i < blocks.size(); i++) {
            try {
                Cidr.parse(blocks.get(i).strip());
                out.add(blocks.get(i).strip());
            } catch (IllegalArgumentException e) {
                Node at = list ? ((SequenceNode) f.get("trusted-proxies")).getValue().get(i) : f.get("trusted-proxies");
                reader.findings().error(at, list ? path + "[" + i + "]" : path, e.getMessage());
            }
        }
        return out.size() == blocks.size() ? new ClientIpConfig(out) : null;
    }
}
