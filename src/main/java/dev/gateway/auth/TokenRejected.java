package dev.gateway.auth;

/** Why a token is refused, already worded for {@link Verification.Invalid}; control flow only, so no stack trace. */
final class TokenRejected extends Exception {
    private final RejectReason reason;

    TokenRejected(RejectReason reason, String description) {
        super(description, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }
}
