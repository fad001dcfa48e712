package dev.gateway.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Close codes and reasons as each side can carry them. The JDK client refuses to send codes that RFC 6455 reserves
 * for endpoints detecting errors themselves (1002, 1003, 1007, 1009, 1010, 1012-1014) and codes that never go on the
 * wire (1005, 1006, 1015); those reach the upstream as 1000 with the reason kept. A reason is at most 123 bytes.
 */
final class CloseCodes {
    private static final int MAX_REASON = 123;

    private CloseCodes() {
    }

    /** A client's code as the JDK client can send it upstream. */
    static int forUpstream(int code) {
        if (code < 1000 || code > 4999) return 1000;
        return switch (code) {
            case 1002, 1003, 1005, 1006, 1007, 1009, 1010, 1012, 1013, 1014, 1015 -> 1000;
            default -> code >= 1016 && code < 3000 ? 1000 : code;
        };
    }

    /** An upstream's code as it may go on the wire to the client (1005 "no code" has no wire form). */
    static int forClient(int code) {
        return code == 1005 || code == 1006 || code == 1015 || code < 1000 || code > 4999 ? 1000 : code;
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
