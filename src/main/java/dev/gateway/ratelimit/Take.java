package dev.gateway.ratelimit;

/**
 * The outcome of taking one token: whether it was there, how many are left, how long until the bucket is full
 * again, and (when refused) how long until a token is there.
 */
public record Take(boolean allowed, long remaining, long resetNanos, long retryAfterNanos) {

    /** The GCRA step: with the bucket's stored arrival time {@code tat} (or less) at {@code now}, what taking does. */
    static Take compute(long tat, long now, BucketSpec spec) {
        long from = Math.max(tat, now);
        long next = from + spec.nanosPerToken();
        long used = next - now;
        if (used > spec.windowNanos()) {
            return new Take(false, 0, from - now, used - spec.windowNanos());
        }
        return new Take(true, (spec.windowNanos() - used) / spec.nanosPerToken(), used, 0);
    }

    /** The arrival time to store after an allowed take at {@code now} (see {@link #compute}). */
    static long nextTat(long tat, long now, BucketSpec spec) {
        return Math.max(tat, now) + spec.nanosPerToken();
    }
}
