package dev.gateway.websocket;

import java.io.IOException;

/**
 * Reads frames from one direction of a socket and checks them against RFC 6455 5.2-5.5 before anything is relayed:
 * no reserved bits (no extension is ever negotiated), known opcodes, control frames unfragmented and at most 125
 * bytes, continuations only inside a fragmented message, masking as the sender's role demands, a well-formed close
 * payload, and the route's frame limit. Text payloads stay bytes: a fragment may end inside a UTF-8 character, and
 * checking UTF-8 is the receiving endpoint's business. Used by one thread at a time.
 */
final class FrameReader {
    private final Wire wire;
    private final boolean fromClient;
    private final long maxPayload;
    private boolean inMessage;
    private long skipFirst;

    /** {@code fromClient}: frames must be masked (a client's) or must not be (a server's). */
    FrameReader(Wire wire, boolean fromClient, long maxPayload) {
        this.wire = wire;
        this.fromClient = fromClient;
        this.maxPayload = maxPayload;
    }

    /** The next frame, unmasked. */
    Frame next() throws IOException {
        if (skipFirst > 0) {
            long n = skipFirst;
            skipFirst = 0;
            wire.skip(n);
        }
        byte[] head = wire.read(2);
        boolean fin = (head[0] & 0x80) != 0;
        int opcode = head[0] & 0x0F;
        boolean masked = (head[1] & 0x80) != 0;
        long length = head[1] & 0x7F;
        if (length == 126) {
            length = number(wire.read(2));
        } else if (length == 127) {
            length = number(wire.read(8));
            if (length < 0) throw new FrameException(1002, "frame length over 2^63", false);
        }
        byte[] key = masked ? wire.read(4) : null;
        String problem = problem(head[0] & 0x70, fin, opcode, masked, length);
        if (problem == null && length > maxPayload) {
            skipFirst = length;
            throw new FrameException(1009, "frame larger than " + maxPayload + " bytes", true);
        }
        if (problem != null) {
            skipFirst = length;
            throw new FrameException(1002, problem, true);
        }
        byte[] payload = wire.read((int) length);
        if (key != null) {
            for (int i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
        }
        if (opcode == Frame.CLOSE && payload.length > 0) {
            int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            if (!CloseCodes.onTheWire(code)) {
                throw new FrameException(1002, "close code " + code + " is not allowed", true);
            }
        }
        if (opcode < Frame.CLOSE) inMessage = !fin;
        return new Frame(fin, opcode, payload);
    }

    private String problem(int reserved, boolean fin, int opcode, boolean masked, long length) {
        if (reserved != 0) return "reserved bits set without a negotiated extension";
        if (masked != fromClient) return fromClient ? "unmasked frame from the client" : "masked frame from the server";
        return switch (opcode) {
            case Frame.CONTINUATION -> inMessage ? null : "continuation frame outside a fragmented message";
            case Frame.TEXT, Frame.BINARY -> inMessage ? "new message inside a fragmented message" : null;
            case Frame.CLOSE, Frame.PING, Frame.PONG -> !fin ? "fragmented control frame"
                    : length > Frame.MAX_CONTROL_PAYLOAD ? "control frame payload over 125 bytes"
                    : opcode == Frame.CLOSE && length == 1 ? "close payload of one byte" : null;
            default -> "unknown opcode " + opcode;
        };
    }

    private static long number(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) n = n << 8 | b & 0xFF;
        return n;
    }
}
