package dev.gateway.ratelimit;

import dev.gateway.background.Periodic;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Buckets in this process: one {@link AtomicLong} arrival time per key, updated by compare-and-set, so the hot path
 * takes no lock. Full buckets are forgotten by a background sweep (a forgotten bucket starts full, exactly as it
 * was), which bounds memory to the keys active within about one window. Thread-safe.
 */
public final class MemoryStore implements BucketStore {
    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
    /** The mark of a bucket the sweep is removing; no clock reading is ever this value in practice. */
    private static final long FORGOTTEN = Long.MIN_VALUE;

    private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final Periodic sweeper;

    /** {@code nanoClock}: a monotonic nanosecond clock ({@code System::nanoTime}; tests pass a fake one). */
    public MemoryStore(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.sweeper = new Periodic("ratelimit-sweep", SWEEP_EVERY, this::sweep).start();
    }

    @Override
    public Take take(String key, BucketSpec spec) {
        while (true) {
            AtomicLong tat = buckets.computeIfAbsent(key, k -> new AtomicLong(nanoClock.getAsLong()));
            long seen = tat.get();
            if (seen == FORGOTTEN) {
                buckets.remove(key, tat); // the sweep is removing it: take from a fresh one
                continue;
            }
            // read after the bucket, so never before the clock reading of whoever stored what it holds: a reading
            // taken earlier made a refusal under contention report a Retry-After one interval and a bit away
            long now = nanoClock.getAsLong();
            Take take = Take.compute(seen, now, spec);
            if (!take.allowed() || tat.compareAndSet(seen, Take.nextTat(seen, now, spec))) return take;
        }
    }

    /**
     * Forgets every bucket that is full at this moment; returns how many are left. A bucket is marked before it is
     * removed, so a take racing the sweep never lands on a removed bucket (that would lose the token).
     */
    int sweep() {
        long now = nanoClock.getAsLong();
        buckets.forEach((key, tat) -> {
            long seen = tat.get();
            if (seen != FORGOTTEN && seen - now <= 0 && tat.compareAndSet(seen, FORGOTTEN)) buckets.remove(key, tat);
        });
        return buckets.size();
    }

    @Override
    public String describe() {
        return "memory (" + buckets.size() + " active buckets)";
    }

    @Override
    public void close() {
        sweeper.close();
        buckets.clear();
    }
}
