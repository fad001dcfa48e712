package dev.gateway.auth;

import java.util.List;
import java.util.Map;

/** What a route's {@link AuthStage} says about one request: let it through (with identity headers) or refuse it. */
public sealed interface AuthDecision {

    /**
     * The request may go on; {@code identityHeaders} are sent upstream (empty on public routes), {@code subject} is
     * the token's {@code sub} (null when anonymous or absent).
     */
    record Allowed(List<Map.Entry<String, String>> identityHeaders, String subject) implements AuthDecision {
        public static final Allowed ANONYMOUS = new Allowed(List.of(), null);

        public Allowed {
            identityHeaders = List.copyOf(identityHeaders);
        }
    }

    /**
     * The request is answered by the gateway: 401 (no usable token) or 403 (a valid token without the route's
     * roles or scopes), with {@code challenge} as the {@code WWW-Authenticate} value and {@code detail} for the
     * problem body. Neither ever contains the token or a secret. {@code reason}: why, as a metric label.
     */
    record Denied(int status, String challenge, String detail, RejectReason reason) implements AuthDecision {
    }
}
