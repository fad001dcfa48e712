package dev.gateway.websocket;

import java.util.random.RandomGenerator;

/**
 * Frames as bytes (RFC 6455 5.2): to a client unmasked, to a server masked with a fresh key per frame (5.3), which
 * must be unpredictable so that a client cannot choose the bytes intermediaries upstream see.
 */
final class FrameEncoder {
    private FrameEncoder() {
    }

    /** The head of an unmasked frame; the payload follows as it is. */
    static byte[] head(Frame frame) {
        byte[] out = new byte[headLength(frame.payload().length)];
        writeHead(frame, 0, out);
        return out;
    }

    /** The whole frame, masked with a key from {@code keys}. */
    static byte[] masked(Frame frame, RandomGenerator keys) {
        byte[] payload = frame.payload();
        int at = headLength(payload.length) + 4;
        byte[] out = new byte[at + payload.length];
        writeHead(frame, 0x80, out);
        int key = keys.nextInt();
        byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        System.arraycopy(mask, 0, out, at - 4, 4);
        for (int i = 0; i < payload.length; i++) out[at + i] = (byte) (payload[i] ^ mask[i & 3]);
        return out;
    }

    private static int headLength(int payload) {
        return payload < 126 ? 2 : payload < 1 << 16 ? 4 : 10;
    }

    /** Writes FIN, opcode, the mask bit and the length into the start of {@code out}. */
    private static void writeHead(Frame frame, int maskBit, byte[] out) {
        int n = frame.payload().length;
        out[0] = (byte) ((frame.fin() ? 0x80 : 0) | frame.opcode());
        if (n < 126) {
            out[1] = (byte) (maskBit | n);
        } else if (n < 1 << 16) {
            out[1] = (byte) (maskBit | 126);
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
        } else {
            out[1] = (byte) (maskBit | 127);
            for (int i = 0; i < 8; i++) out[2 + i] = (byte) (i < 4 ? 0 : n >>> (8 * (7 - i)));
        }
    }
}
