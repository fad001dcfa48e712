package dev.gateway.auth;

/** Why a token is refused, already worded for {@link Verification.Invalid}; control flow only, so no stack trace. */
final class TokenRejected extends Exception {
    TokenRejected(String description) {
        super(description, null, false, false);
    }
}
