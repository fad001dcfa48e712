package dev.gateway.observe;

import java.util.concurrent.atomic.LongAdder;

/** A latency histogram with fixed buckets (1 ms to 10 s) for one series; lock-free. */
final class Histogram {
    /** Upper bounds in seconds, as Prometheus client libraries default to, plus 1 ms for a fast local hop. */
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) BOUND_NANOS[i] = (long) (BOUNDS[i] * 1e9);
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1]; // not cumulative; the last is +Inf
    private final LongAdder sumNanos = new LongAdder();

    Histogram() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    void observe(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) i++;
        buckets[i].increment();
        sumNanos.add(Math.max(0, nanos));
    }

    /** Writes the cumulative buckets, sum and count of {@code name}, with {@code label}={@code value}. */
    void write(Exposition out, String name, String label, String value) {
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            String le = i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf";
            out.sample(name + "_bucket", cumulative, label, value, "le", le);
        }
        out.sample(name + "_sum", sumNanos.sum() / 1e9, label, value);
        out.sample(name + "_count", cumulative, label, value);
    }
}
