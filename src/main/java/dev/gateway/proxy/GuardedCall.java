package dev.gateway.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.gateway.config.ResilienceConfig;
import dev.gateway.observe.UpstreamSeries;
import dev.gateway.resilience.TargetState;

/**
 * One request's trip to an upstream under its {@link Guard}: the circuit breaker is asked before each attempt; an
 * attempt that failed (no connection, no answer, a bad answer, or a status listed in {@code retry.on}) is retried
 * on another target where there is one, after an exponential, jittered backoff, while attempts, the retry budget and
 * the deadline allow, and only when no byte of the request body has been read (so a body is never replayed) and the
 * method is listed, or nothing reached the upstream at all. Every outcome is reported to the target's health and to
 * the breaker. Not thread-safe: one per request.
 */
final class GuardedCall {
    /** What the trip came to. */
    sealed interface Outcome {
        /** A response to relay; the caller ends the target's request when the body is relayed. */
        record Answered(Target target, UpstreamResponse response) implements Outcome {
        }

        /** The last attempt failed. */
        record Failed(UpstreamFailure failure) implements Outcome {
        }

        /** No attempt was made or left: the breaker is open (503) or the deadline passed (504). */
        record Refused(int status, String detail, long retryAfterSeconds) implements Outcome {
        }
    }

    private final Guard guard;
    private final TargetResolver resolver;
    private final UpstreamClient client;
    private final String method;
    private final ClientBodyStream body;
    private final UpstreamSeries metrics;

    GuardedCall(Guard guard, TargetResolver resolver, UpstreamClient client, String method, ClientBodyStream body,
                UpstreamSeries metrics) {
        this.metrics = metrics;
        this.guard = guard;
        this.resolver = resolver;
        this.client = client;
        this.method = method;
        this.body = body;
    }

    /** {@code request}: the request for a target, with at most the given time to wait for response headers. */
    Outcome send(Map<String, String> variables, Target first, Function<Target, Function<Duration, UpstreamRequest>> request,
                 String upstream) throws TargetResolver.InvalidTargetException {
        long deadline = guard.deadline() == null ? Long.MAX_VALUE : System.nanoTime() + guard.deadline().toNanos();
        if (guard.budget() != null) guard.budget().request();
        Target target = first;
        for (int attempt = 1; ; attempt++) {
            if (guard.breaker() != null && !guard.breaker().tryAcquire()) {
                long wait = Math.max(1, (guard.breaker().retryAfter().toMillis() + 999) / 1000);
                return new Outcome.Refused(503, "upstream '" + upstream + "' is failing: its circuit breaker is open",
                        wait);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (guard.breaker() != null) guard.breaker().success(); // nothing was sent: release the permit
                return new Outcome.Refused(504, "upstream '" + upstream + "' did not answer in time", 0);
            }
            Duration timeout = deadline == Long.MAX_VALUE ? null : Duration.ofNanos(left);
            UpstreamRequest up = request.apply(target).apply(timeout);
            target.begin();
            UpstreamResponse response;
            long sent = System.nanoTime();
            try {
                response = client.send(up);
                metrics.attempt(System.nanoTime() - sent);
            } catch (UpstreamFailure f) {
                metrics.attempt(System.nanoTime() - sent);
                target.end();
                boolean upstreamFault = f.kind() == UpstreamFailure.Kind.CONNECT || f.kind() == UpstreamFailure.Kind.TIMEOUT
                        || f.kind() == UpstreamFailure.Kind.PROTOCOL;
                report(target, !upstreamFault);
                if (upstreamFault && retryable(f.kind(), 0, attempt) && backoff(attempt, deadline)) {
                    metrics.retried();
                    target = resolver.retryTarget(variables, target);
                    continue;
                }
                return new Outcome.Failed(f);
            }
            int status = response.status();
            boolean bad = status == 502 || status == 503 || status == 504;
            report(target, !bad);
            if (bad && retryable(null, status, attempt) && backoff(attempt, deadline)) {
                response.close();
                target.end();
                metrics.retried();
                target = resolver.retryTarget(variables, target);
                continue;
            }
            return new Outcome.Answered(target, response);
        }
    }

    private void report(Target target, boolean ok) {
        TargetState state = target.state();
        if (state != null) {
            if (ok) state.requestSucceeded();
            else state.requestFailed();
        }
        if (guard.breaker() != null) {
            if (ok) guard.breaker().success();
            else guard.breaker().failure();
        }
    }

    /** Whether this failure ({@code kind}, or else the {@code status}) may be tried again after {@code attempt}. */
    private boolean retryable(UpstreamFailure.Kind kind, int status, int attempt) {
        ResilienceConfig.Retry retry = guard.retry();
        if (retry == null || attempt >= retry.attempts()) return false;
        if (body != null && body.count() > 0) return false; // the body has started to flow: never replayed
        boolean listed = retry.methods().contains(method);
        boolean allowed = switch (kind) {
            case CONNECT -> retry.onConnectFailure(); // nothing reached the upstream: safe for any method
            case TIMEOUT -> retry.onTimeout() && listed;
            case PROTOCOL -> retry.onStatus().contains(502) && listed;
            case null -> retry.onStatus().contains(status) && listed;
            default -> false;
        };
        return allowed && guard.budget().tryRetry();
    }

    /** Sleeps the backoff before attempt {@code attempt + 1}; false when that would reach past the deadline. */
    private boolean backoff(int attempt, long deadline) {
        ResilienceConfig.Retry retry = guard.retry();
        long base = retry.backoff().toNanos();
        long delay = Math.min(retry.maxBackoff().toNanos(), base << Math.min(attempt - 1, 20));
        if (retry.jitter()) delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (System.nanoTime() + delay >= deadline) return false;
        try {
            Thread.sleep(Duration.ofNanos(delay));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
