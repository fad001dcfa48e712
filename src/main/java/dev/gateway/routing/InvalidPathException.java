package dev.gateway.routing;

/** A request path that cannot be routed safely (answered with 400). */
public final class InvalidPathException extends Exception {
    public InvalidPathException(String message) {
        super(message);
    }
}
