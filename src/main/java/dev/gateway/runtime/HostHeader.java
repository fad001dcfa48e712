package dev.gateway.runtime;

import java.util.List;

import dev.gateway.routing.PathNormalizer;
import io.helidon.common.uri.UriValidator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * RFC 9112 section 3.2: a request has exactly one Host header, and its value is an authority (RFC 3986 section
 * 3.2.2): a registered name or IPv4 address (unreserved characters, sub-delims, percent-escapes), or an IP literal
 * in brackets, then an optional port of up to five digits. The gateway checks this itself instead of Helidon
 * (4.2.6 as 4.5.0), whose check runs an IPv4 regular expression on every request (about 3% of a small GET's CPU) and
 * answers a bare "could not be parsed"; this one says what is wrong.
 */
final class HostHeader {
    private static final String SUB_DELIMS = "!$&'()*+,;=";

    private HostHeader() {
    }

    /** Null when the request's Host header is valid, else what is wrong with it. */
    static String problem(Headers headers) {
        if (!headers.contains(HeaderNames.HOST)) return "a request must have a Host header";
        List<String> values = headers.get(HeaderNames.HOST).allValues();
        if (values.size() > 1) return "a request must have one Host header (got " + values.size() + ")";
        String host = values.getFirst();
        if (host.isEmpty()) return "the Host header must not be empty";
        return valid(host) ? null : "the Host header must be host or host:port (got '"
                + (host.length() > 100 ? host.substring(0, 100) + "..." : host) + "')";
    }

    static boolean valid(String host) {
        int end = host.length();
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0 || (close + 1 < end && !port(host, close + 1))) return false;
            try {
                UriValidator.validateIpLiteral(host.substring(0, close + 1));
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            if (!port(host, colon)) return false;
            end = colon;
        }
        if (end == 0) return false;
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= end || !hex(host.charAt(i + 1)) || !hex(host.charAt(i + 2))) return false;
                i += 2;
            } else if (!PathNormalizer.isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code host} from {@code colon} on is ':' and a port: one to five digits, at most 65535. */
    private static boolean port(String host, int colon) {
        int digits = host.length() - colon - 1;
        if (host.charAt(colon) != ':' || digits < 1 || digits > 5) return false;
        int port = 0;
        for (int i = colon + 1; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
