package dev.gateway.websocket;

import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame (RFC 6455 5.2) as the relay passes it on: the FIN bit, the opcode and the unmasked payload.
 * The payload array is never changed once the frame exists.
 */
record Frame(boolean fin, int opcode, byte[] payload) {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** RFC 6455 5.5: control frames carry at most this much. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    boolean control() {
        return opcode >= CLOSE;
    }

    /** A close frame the gateway itself sends: {@code code} and {@code reason} cut to what a close frame holds. */
    static Frame close(int code, String reason) {
        byte[] text = CloseCodes.reason(reason).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return new Frame(true, CLOSE, payload);
    }
}
