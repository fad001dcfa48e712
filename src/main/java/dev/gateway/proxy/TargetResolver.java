package dev.gateway.proxy;

import java.util.Map;

/** Chooses the target of one request: from an upstream's balancer, or from a URL templated by path variables. */
public interface TargetResolver {
    /** The target for a request with these path variables; throws when a variable cannot form a host name. */
    Target resolve(Map<String, String> variables) throws InvalidTargetException;

    /** Another target for a retry: unlike {@code avoid} where the upstream has one to offer. */
    default Target retryTarget(Map<String, String> variables, Target avoid) throws InvalidTargetException {
        return resolve(variables);
    }

    /** How requests to these targets are guarded (retries, breaker, bulkhead); none for URL templates. */
    default Guard guard() {
        return Guard.NONE;
    }

    /** A path variable that cannot be put into an upstream URL (answered with 400). */
    final class InvalidTargetException extends Exception {
        public InvalidTargetException(String message) {
            super(message, null, false, false);
        }
    }
}
