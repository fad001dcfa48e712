package dev.gateway.cache;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One stored response: status, the headers the client gets (already filtered for hop-by-hop ones), the body, when
 * it was stored and until when it is fresh (nanoTime), and the request headers named by its {@code Vary} with the
 * values they had, which a later request must repeat to be served it. Immutable.
 */
public record CachedResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, long storedAt,
                             long expiresAt, List<String> varyNames, List<String> varyValues) {
    public CachedResponse {
        headers = List.copyOf(headers);
        varyNames = List.copyOf(varyNames);
        varyValues = List.copyOf(varyValues);
    }

    /** Whether a request with these headers (by lower-case name) may be served this variant. */
    public boolean matches(Function<String, String> requestHeader) {
        for (int i = 0; i < varyNames.size(); i++) {
            if (!varyValues.get(i).equals(valueOf(requestHeader, varyNames.get(i)))) return false;
        }
        return true;
    }

    /** Roughly what the entry costs in memory, for the store's bound. */
    long size() {
        long n = body.length + 128;
        for (Map.Entry<String, String> h : headers) n += h.getKey().length() + h.getValue().length() + 32;
        return n;
    }

    static String valueOf(Function<String, String> requestHeader, String name) {
        String v = requestHeader.apply(name);
        return v == null ? "" : v;
    }
}
