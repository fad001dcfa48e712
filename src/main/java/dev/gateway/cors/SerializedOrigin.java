package dev.gateway.cors;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns an origin ({@code scheme://host[:port]} or {@code null}) into a comparison key. */
final class SerializedOrigin {
    /** The serialization of an opaque origin (sandboxed iframe, file:, data:); matched only literally. */
    static final String OPAQUE = "null";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=%-]+|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "ws", 80, "wss", 443);

    private SerializedOrigin() {
    }

    /**
     * The key two origins share exactly when they are the same origin: scheme and host lower-cased, a default
     * port dropped. Empty when the text is not an origin (a path, user info, a bad port, a list of origins).
     */
    static Optional<String> key(String text) {
        String value = text.strip();
        if (value.equals(OPAQUE)) {
            return Optional.of(OPAQUE);
        }
        int sep = value.indexOf("://");
        if (sep < 0 || !SCHEME.matcher(value.substring(0, sep)).matches()) {
            return Optional.empty();
        }
        String scheme = value.substring(0, sep).toLowerCase(Locale.ROOT);
        String authority = value.substring(sep + 3);
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon >= 0 && colon > authority.lastIndexOf(']');
        String host = hasPort ? authority.substring(0, colon) : authority;
        if (!HOST.matcher(host).matches()) {
            return Optional.empty();
        }
        String origin = scheme + "://" + host.toLowerCase(Locale.ROOT);
        if (!hasPort) {
            return Optional.of(origin);
        }
        String port = authority.substring(colon + 1);
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            return Optional.empty();
        }
        int number = Integer.parseInt(port);
        return Optional.of(number == DEFAULT_PORTS.getOrDefault(scheme, -1) ? origin : origin + ":" + number);
    }
}
