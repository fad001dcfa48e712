package dev.gateway.routing;

/**
 * Turns a raw request path into the canonical form routes match against: percent-escapes of unreserved
 * characters are decoded, other escapes keep their meaning (with upper-case hex, so {@code %2F} never splits
 * a segment), dot segments are resolved, and nothing else is collapsed ({@code //} and a trailing slash stay).
 * Stateless and thread-safe.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * Decodes percent-encoded unreserved characters, resolves dot segments (also encoded ones) and collapses
     * nothing else; throws {@link InvalidPathException} when the path climbs above the root or is malformed
     * (no leading slash, a bad escape, a backslash or a control character). Returns {@code rawPath} itself
     * when it is already canonical.
     */
    public static String normalize(String rawPath) throws InvalidPathException {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new InvalidPathException("path must start with '/'");
        }
        int n = rawPath.length();
        boolean canonical = true;
        for (int i = 1; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                canonical = false;
            } else if (c == '.') {
                canonical &= !(rawPath.charAt(i - 1) == '/' && isDotSegment(rawPath, i));
            } else if (c == '\\') {
                // Some upstreams treat a backslash as a separator; routing would then disagree with them.
                throw new InvalidPathException("backslash not allowed in path");
            } else if (c < 0x20 || c == 0x7f) {
                throw new InvalidPathException("control character in path");
            }
        }
        if (canonical) {
            return rawPath;
        }
        StringBuilder decoded = new StringBuilder(n);
        decodeUnreserved(rawPath, 0, n, decoded);
        String result = removeDotSegments(decoded);
        return result.equals(rawPath) ? rawPath : result;
    }

    /** True when the segment starting at {@code i} (just after a slash) is "." or "..". */
    private static boolean isDotSegment(String s, int i) {
        int next = i + 1;
        if (next == s.length() || s.charAt(next) == '/') {
            return true;
        }
        return s.charAt(next) == '.' && (next + 1 == s.length() || s.charAt(next + 1) == '/');
    }

    /** Appends {@code s[from, to)} with unreserved escapes decoded and other escapes upper-cased. */
    static void decodeUnreserved(String s, int from, int to, StringBuilder out) throws InvalidPathException {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw new InvalidPathException("malformed percent-escape in path");
            }
            char value = (char) (hi * 16 + lo);
            if (isUnreserved(value)) {
                out.append(value);
            } else {
                out.append('%').append(Character.toUpperCase(s.charAt(i + 1)))
                        .append(Character.toUpperCase(s.charAt(i + 2)));
            }
            i += 2;
        }
    }

    /** RFC 3986 section 2.3's unreserved characters (also what a registered host name is made of). */
    public static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 5.2.4 on a path that starts with '/', except that climbing above the root is an error. */
    private static String removeDotSegments(CharSequence s) throws InvalidPathException {
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        boolean endsWithDot = false;
        int pos = 0;
        while (pos < n) {
            int start = pos + 1;
            int end = start;
            while (end < n && s.charAt(end) != '/') {
                end++;
            }
            int len = end - start;
            if (len == 1 && s.charAt(start) == '.') {
                endsWithDot = true;
            } else if (len == 2 && s.charAt(start) == '.' && s.charAt(start + 1) == '.') {
                if (out.isEmpty()) {
                    throw new InvalidPathException("path climbs above the root");
                }
                out.setLength(out.lastIndexOf("/"));
                endsWithDot = true;
            } else {
                out.append(s, pos, end);
                endsWithDot = false;
            }
            pos = end;
        }
        if (endsWithDot || out.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }
}
