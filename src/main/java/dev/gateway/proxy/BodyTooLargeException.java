package dev.gateway.proxy;

import java.io.IOException;

/** Thrown by a body stream when the client sends more than the route allows (answered with 413). */
public final class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long limit) {
        super("request body is larger than the limit of " + limit + " bytes");
    }
}
