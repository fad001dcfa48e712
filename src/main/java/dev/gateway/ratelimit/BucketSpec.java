package dev.gateway.ratelimit;

/**
 * One token bucket's shape: it holds {@code burst} tokens and earns one every {@code nanosPerToken}. Checked as a
 * GCRA (the "theoretical arrival time" form of a token bucket), so a bucket is one number in any store.
 */
public record BucketSpec(long burst, long nanosPerToken) {
    public BucketSpec {
        if (burst < 1 || nanosPerToken < 1) throw new IllegalArgumentException("burst and interval must be positive");
        if (Math.multiplyHigh(burst, nanosPerToken) != 0 || burst * nanosPerToken < 0) {
            throw new IllegalArgumentException("burst times interval overflows");
        }
    }

    /** How long an untouched bucket takes to refill from empty. */
    long windowNanos() {
        return burst * nanosPerToken;
    }
}
