package dev.gateway.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics of one upstream: how long each attempt waited for response headers, and how many attempts were
 * retries. Handed to the upstream's proxy stage once, when the snapshot is built. Thread-safe.
 */
public final class UpstreamSeries {
    final Histogram attempts = new Histogram();
    final LongAdder retries = new LongAdder();

    UpstreamSeries() {
    }

    /** One attempt ended (an answer's headers, or a failure) {@code nanos} after it was sent. */
    public void attempt(long nanos) {
        attempts.observe(nanos);
    }

    /** An attempt is being made again, on the same or another target. */
    public void retried() {
        retries.increment();
    }
}
