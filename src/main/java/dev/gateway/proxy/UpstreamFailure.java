package dev.gateway.proxy;

/** Why an upstream call produced no response; {@link Kind} decides the status the client gets. */
public final class UpstreamFailure extends Exception {

    /** CONNECT and PROTOCOL answer 502, TIMEOUT 504, BODY_TOO_LARGE 413, CLIENT_ABORTED nothing (client left). */
    public enum Kind { CONNECT, TIMEOUT, PROTOCOL, BODY_TOO_LARGE, CLIENT_ABORTED }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
