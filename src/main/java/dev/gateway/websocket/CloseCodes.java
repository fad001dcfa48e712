package dev.gateway.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Close codes and reasons. Every code an endpoint may put on the wire (RFC 6455 7.4 and the IANA registry) is
 * relayed as it is; 1005, 1006 and 1015 only ever stand for "no code" or "no close frame" locally, and 1016-2999 are
 * unassigned, so a close frame carrying one of those is a protocol error. A reason is at most 123 bytes.
 */
final class CloseCodes {
    private static final int MAX_REASON = Frame.MAX_CONTROL_PAYLOAD - 2;

    private CloseCodes() {
    }

    /** True when {@code code} may appear in a close frame. */
    static boolean onTheWire(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** {@code reason} cut to what a close frame holds, on a character boundary. */
    static String reason(String reason) {
        if (reason == null) return "";
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON) return reason;
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON) end--;
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) end--;
        return reason.substring(0, end);
    }
}
