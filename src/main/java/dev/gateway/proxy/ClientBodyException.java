package dev.gateway.proxy;

import java.io.IOException;

/** Wraps a failure to read the client's request body, so it is not mistaken for an upstream failure. */
public final class ClientBodyException extends IOException {
    public ClientBodyException(Throwable cause) {
        super("client request body could not be read", cause);
    }
}
