package dev.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * A route's {@code websocket} section: the route accepts {@code Upgrade: websocket} and relays the socket upstream.
 *
 * @param idleTimeout   a socket with no message in either direction for this long is closed (1001); default 5m
 * @param maxFrameSize  a frame larger than this, from either side, closes both sides with 1009; default 1MiB, at most
 *                      {@link #MAX_FRAME_LIMIT}
 * @param tokenQuery    a query parameter that may carry the bearer token (browsers cannot set Authorization on a
 *                      WebSocket); removed before the request goes upstream
 * @param tokenProtocol a {@code Sec-WebSocket-Protocol} entry starting with this prefix carries the token after it;
 *                      that entry is not offered upstream
 */
public record WebSocketConfig(Duration idleTimeout, long maxFrameSize, Optional<String> tokenQuery,
                              Optional<String> tokenProtocol) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_FRAME_SIZE = 1L << 20;
    /** The listener reads a whole frame into memory before relaying it, so frames are capped for every route. */
    public static final long MAX_FRAME_LIMIT = 16L << 20;
}
