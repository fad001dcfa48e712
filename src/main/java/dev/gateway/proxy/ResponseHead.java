package dev.gateway.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A response's status line and header fields as received, and what they say about the body's framing (RFC 9112
 * 6.3) and the connection's reuse. Immutable.
 *
 * @param headers         names and values alternating, as received
 * @param length          the body's length: 0 for none, -1 when chunked or read until the connection closes
 * @param chunked         the body is chunked
 * @param reusable        the connection may carry another request after this response's body
 * @param keepAliveMillis how long the target keeps an idle connection open (Keep-Alive: timeout), or -1
 */
record ResponseHead(int status, List<String> headers, long length, boolean chunked, boolean reusable,
                    long keepAliveMillis) {

    /** Reads more lines of the head: one per call, without its line end. */
    interface Lines {
        String next() throws IOException;
    }

    /** Parses the status line and reads header lines up to the empty one. */
    static ResponseHead parse(String statusLine, Lines lines, String method) throws IOException {
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new IOException("malformed status line '" + printable(statusLine) + "'");
        }
        char minor = statusLine.charAt(7);
        if (minor != '0' && minor != '1') throw new IOException("unsupported version in '" + printable(statusLine) + "'");
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') throw new IOException("malformed status in '" + printable(statusLine) + "'");
            status = status * 10 + (c - '0');
        }
        if (status < 100) throw new IOException("malformed status in '" + printable(statusLine) + "'");
        List<String> headers = new ArrayList<>(24);
        long length = -2; // not given
        boolean chunked = false;
        boolean transferCoded = false;
        boolean close = false;
        boolean keepAlive = false;
        long keepAliveMillis = -1;
        for (String line; !(line = lines.next()).isEmpty(); ) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // obs-fold (RFC 9112 5.2): a proxy may replace it with a space
                if (headers.isEmpty()) throw new IOException("response head starts with a continuation line");
                int last = headers.size() - 1;
                headers.set(last, headers.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !token(line, colon)) {
                throw new IOException("malformed header line '" + printable(line) + "'");
            }
            String name = line.substring(0, colon);
            int from = colon + 1;
            int to = line.length();
            while (from < to && (line.charAt(from) == ' ' || line.charAt(from) == '\t')) from++;
            while (to > from && (line.charAt(to - 1) == ' ' || line.charAt(to - 1) == '\t')) to--;
            String value = line.substring(from, to);
            headers.add(name);
            headers.add(value);
            // most headers are none of these four: the length test spares them the case-blind comparisons
            if (colon != 14 && colon != 17 && colon != 10) continue;
            if (name.equalsIgnoreCase("content-length")) {
                long n = contentLength(value);
                if (length != -2 && length != n) throw new IOException("conflicting Content-Length headers");
                length = n;
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                transferCoded = true;
                String[] codings = value.split(",");
                chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                for (String t : value.split(",")) {
                    String token = t.strip().toLowerCase(Locale.ROOT);
                    if (token.equals("close")) close = true;
                    if (token.equals("keep-alive")) keepAlive = true;
                }
            } else if (name.equalsIgnoreCase("keep-alive")) {
                keepAliveMillis = keepAliveTimeout(value);
            }
        }
        boolean http11 = minor == '1';
        boolean persistent = !close && (http11 || keepAlive);
        if (status < 200 || status == 204 || status == 304 || method.equals("HEAD")) {
            return new ResponseHead(status, headers, 0, false, persistent, keepAliveMillis);
        }
        if (transferCoded) {
            // with Transfer-Encoding, Content-Length is ignored; a body that is not chunked lasts until close
            return new ResponseHead(status, headers, -1, chunked, chunked && persistent && length == -2,
                    keepAliveMillis);
        }
        if (length >= 0) return new ResponseHead(status, headers, length, false, persistent, keepAliveMillis);
        return new ResponseHead(status, headers, -1, false, false, keepAliveMillis);
    }

    private static boolean token(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** A Content-Length value: digits, or a list of one repeated number (RFC 9110 8.6). */
    private static long contentLength(String value) throws IOException {
        if (!value.isEmpty() && value.length() <= 18 && digits(value)) return Long.parseLong(value); // the usual case
        long found = -1;
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.isEmpty() || p.length() > 18 || !digits(p)) {
                throw new IOException("malformed Content-Length '" + printable(value) + "'");
            }
            long n = Long.parseLong(p);
            if (found >= 0 && found != n) throw new IOException("conflicting Content-Length values");
            found = n;
        }
        return found;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    private static long keepAliveTimeout(String value) {
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                try {
                    return Long.parseLong(p.substring(8).strip()) * 1000;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
