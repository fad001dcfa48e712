package dev.gateway.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gateway.pipeline.Exchange;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * RFC 9110 header rules for a proxy: drops hop-by-hop headers and those the Connection header names, in both
 * directions, and sets X-Forwarded-For/-Proto/-Host, X-Request-Id and the W3C trace context on the way up.
 */
public final class ForwardedHeaders {
    /** Hop-by-hop (RFC 9110 7.6.1) plus headers the gateway or the client library sets itself. */
    private static final Set<String> DROP_UP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-request-id", "traceparent", "tracestate");
    private static final List<String> DROP_DOWN_NAMES = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "content-length", "x-request-id");

    private static final HeaderName TRACESTATE = HeaderNames.create("tracestate");

    private ForwardedHeaders() {
    }

    /**
     * The headers to send upstream: the client's, less hop-by-hop ones and those {@code strip} removes, then
     * {@code identity} (set by the gateway from a verified token) and the forwarding headers.
     */
    static List<Map.Entry<String, String>> upstream(Headers in, Exchange ex, HeaderStrip strip,
                                                    List<Map.Entry<String, String>> identity) {
        String peerIp = ex.peerIp();
        List<String> named = connectionTokens(in);
        List<Map.Entry<String, String>> out = new ArrayList<>(in.size() + 4 + identity.size());
        for (Header h : in) {
            String lower = h.headerName().lowerCase();
            if (DROP_UP.contains(lower) || named.contains(lower) || strip.strips(lower)) continue;
            for (String v : h.allValues()) out.add(Map.entry(h.name(), v));
        }
        out.addAll(identity);
        // all lines of the header, not just the first: the chain may be split over several
        String priorFor = in.contains(HeaderNames.X_FORWARDED_FOR)
                ? String.join(", ", in.get(HeaderNames.X_FORWARDED_FOR).allValues()) : null;
        out.add(Map.entry("X-Forwarded-For", priorFor == null || priorFor.isBlank() ? peerIp : priorFor + ", " + peerIp));
        out.add(Map.entry("X-Forwarded-Proto", ex.secure() ? "https" : "http"));
        if (in.contains(HeaderNames.HOST)) out.add(Map.entry("X-Forwarded-Host", in.get(HeaderNames.HOST).get()));
        out.add(Map.entry("X-Request-Id", ex.requestId()));
        out.add(Map.entry("traceparent", ex.trace().traceparent()));
        // tracestate belongs to the trace it came with: dropped when that trace is not the one continued
        if (ex.trace().continued() && in.contains(TRACESTATE)) {
            for (String v : in.get(TRACESTATE).allValues()) out.add(Map.entry("tracestate", v));
        }
        return out;
    }

    /**
     * True when a response header from upstream may go on to the client: not hop-by-hop, and not under one of the
     * {@code owned} prefixes whose headers the gateway sets itself on this route. Compares without lower-casing the
     * name: this runs for every header of every response.
     */
    static boolean passesDown(String name, List<String> connectionTokens, List<String> owned) {
        for (int i = 0; i < DROP_DOWN_NAMES.size(); i++) {
            String dropped = DROP_DOWN_NAMES.get(i);
            if (dropped.length() == name.length() && dropped.equalsIgnoreCase(name)) return false;
        }
        if (!connectionTokens.isEmpty() && connectionTokens.contains(name.toLowerCase(Locale.ROOT))) return false;
        for (String prefix : owned) {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        }
        return true;
    }

    /** The options the Connection header lists, lower case (empty without one; one or two, as a rule). */
    public static List<String> connectionTokens(Headers in) {
        if (!in.contains(HeaderNames.CONNECTION)) return List.of();
        return tokens(in.get(HeaderNames.CONNECTION).allValues());
    }

    static List<String> tokens(List<String> connectionValues) {
        List<String> out = new ArrayList<>(2);
        for (String v : connectionValues) {
            for (String t : v.split(",")) {
                String token = t.trim().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) out.add(token);
            }
        }
        return out;
    }
}
