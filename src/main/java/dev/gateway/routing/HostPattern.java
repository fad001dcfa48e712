package dev.gateway.routing;

import java.util.Locale;

/**
 * A route's host constraint, lower-cased and without port: an exact name, or {@code *.suffix} which matches
 * one or more labels before the suffix (never the bare suffix). Request hosts are compared case-insensitively
 * without copying them.
 */
record HostPattern(String exact, String suffix) {

    static HostPattern parse(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        h = h.substring(0, hostLength(h));
        if (h.startsWith("*.") && h.length() > 2 && h.indexOf('*', 1) < 0) {
            return new HostPattern(null, h.substring(1));
        }
        if (h.isEmpty() || h.indexOf('*') >= 0) {
            throw new IllegalArgumentException("host '" + host + "' must be a name or '*.' followed by a name");
        }
        return new HostPattern(h, null);
    }

    /** The length of the host name in a Host header: without ":port" (IPv6 literals kept) or a final dot. */
    static int hostLength(String host) {
        int n = host.length();
        if (n > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            return close < 0 ? n : close + 1;
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && host.indexOf(':', colon + 1) < 0) {
            n = colon;
        }
        return n > 0 && host.charAt(n - 1) == '.' ? n - 1 : n;
    }

    boolean matches(String host, int length) {
        if (host == null) {
            return false;
        }
        if (exact != null) {
            return length == exact.length() && host.regionMatches(true, 0, exact, 0, length);
        }
        int from = length - suffix.length();
        return from > 0 && host.regionMatches(true, from, suffix, 0, suffix.length());
    }

    boolean isWildcard() {
        return suffix != null;
    }

    /** How the constraint reads in messages. */
    String display() {
        return exact != null ? exact : "*" + suffix;
    }
}
