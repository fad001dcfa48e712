package dev.gateway.websocket;

import java.io.IOException;

/**
 * A frame the relay must not pass on: {@code code} is the close code the sender gets (1002 for a protocol violation,
 * 1009 for a frame over the limit). When {@code resumable}, the bad frame's payload is skipped and the next frame can
 * still be read, so the sender's close reply is heard; otherwise the stream has lost its framing.
 */
final class FrameException extends IOException {
    private final int code;
    private final boolean resumable;

    FrameException(int code, String reason, boolean resumable) {
        super(reason);
        this.code = code;
        this.resumable = resumable;
    }

    int code() {
        return code;
    }

    boolean resumable() {
        return resumable;
    }
}
