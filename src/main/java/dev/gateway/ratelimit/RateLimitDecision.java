package dev.gateway.ratelimit;

import java.util.List;
import java.util.Map;

/** What a route's {@link RateLimitStage} says about one request. */
public sealed interface RateLimitDecision {

    /**
     * Go on; {@code headers} ({@code RateLimit-*}) go on the response. {@code storeFailed}: a policy could not be
     * checked because the store did not answer, and the file says to let such requests pass.
     */
    record Pass(List<Map.Entry<String, String>> headers, boolean storeFailed) implements RateLimitDecision {
        public static final Pass UNLIMITED = new Pass(List.of(), false);
        static final Pass UNCHECKED = new Pass(List.of(), true);

        public Pass {
            headers = List.copyOf(headers);
        }
    }

    /** 429: {@code policy} has no token left; {@code headers} include {@code Retry-After} (whole seconds, at least 1). */
    record Limited(String policy, long retryAfterSeconds, List<Map.Entry<String, String>> headers)
            implements RateLimitDecision {
        public Limited {
            headers = List.copyOf(headers);
        }
    }

    /** 503: the store could not answer and the file says {@code on-store-failure: deny}. */
    record Unavailable(String why) implements RateLimitDecision {
    }
}
