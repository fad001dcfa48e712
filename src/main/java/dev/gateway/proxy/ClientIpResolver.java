package dev.gateway.proxy;

import java.net.InetAddress;
import java.util.List;

import dev.gateway.config.Cidr;

/**
 * Finds the client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right and the first address that is not a trusted proxy is the client (all
 * trusted: the leftmost). Entries a client wrote to the left of that are never believed, so rotating a spoofed header
 * does not change the result. An entry that is not an address ends the walk at the hop that reported it. Immutable.
 */
public final class ClientIpResolver {
    public static final ClientIpResolver PEER_ONLY = new ClientIpResolver(List.of());

    private final List<Cidr> trusted;

    /** {@code trustedProxies}: addresses or CIDR blocks, as validated by the config loader. */
    public ClientIpResolver(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
    }

    /** {@code forwardedFor}: every X-Forwarded-For line of the request, in order (may be empty). */
    public String resolve(InetAddress peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || peer == null || !isTrusted(peer) || forwardedFor.isEmpty()) {
            return peer == null ? "unknown" : peer.getHostAddress();
        }
        InetAddress candidate = peer;
        for (int line = forwardedFor.size() - 1; line >= 0; line--) {
            String[] entries = forwardedFor.get(line).split(",");
            for (int i = entries.length - 1; i >= 0; i--) {
                String entry = entries[i].strip();
                if (entry.isEmpty()) continue;
                InetAddress address = Cidr.literal(bare(entry));
                if (address == null) return candidate.getHostAddress();
                candidate = address;
                if (!isTrusted(address)) return address.getHostAddress();
            }
        }
        return candidate.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr block : trusted) {
            if (block.contains(address)) return true;
        }
        return false;
    }

    /** {@code [::1]:8080} to {@code ::1}, {@code 10.0.0.1:5000} to {@code 10.0.0.1}; anything else as it is. */
    private static String bare(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end < 0 ? entry : entry.substring(1, end);
        }
        int colon = entry.indexOf(':');
        return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
    }
}
