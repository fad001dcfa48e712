package dev.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MemoryStore} on a clock the test moves by hand: exact under contention, refills, sweeps safely. */
class MemoryStoreTest {
    private static final long MS = 1_000_000;
    private static final long SECOND = 1000 * MS;
    private static final long HOUR = 3600 * SECOND;

    /** Negative, as System.nanoTime() may be. */
    private final AtomicLong clock = new AtomicLong(-5 * HOUR);
    private final MemoryStore store = new MemoryStore(clock::get);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void exactlyTheBurstIsAllowedUnderHeavyContention() throws Exception {
        BucketSpec spec = new BucketSpec(1000, SECOND);
        List<Take> takes = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(16, t -> {
            for (int i = 0; i < 200; i++) takes.add(store.take("hot", spec));
        });

        assertThat(takes).hasSize(3200);
        assertThat(takes).filteredOn(Take::allowed).extracting(Take::remaining)
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1000).boxed().toList());
        assertThat(takes).filteredOn(t -> !t.allowed()).allSatisfy(t -> {
            assertThat(t.retryAfterNanos()).isEqualTo(SECOND);
            assertThat(t.resetNanos()).isEqualTo(1000 * SECOND);
        });
    }

    @Test
    void tokensComeBackOneIntervalAtATimeUpToTheBurst() {
        BucketSpec spec = new BucketSpec(3, SECOND);
        assertThat(store.take("k", spec)).isEqualTo(new Take(true, 2, SECOND, 0));
        assertThat(store.take("k", spec)).isEqualTo(new Take(true, 1, 2 * SECOND, 0));
        assertThat(store.take("k", spec)).isEqualTo(new Take(true, 0, 3 * SECOND, 0));
        assertThat(store.take("k", spec)).isEqualTo(new Take(false, 0, 3 * SECOND, SECOND));

        clock.addAndGet(SECOND - MS);
        assertThat(store.take("k", spec)).isEqualTo(new Take(false, 0, 2 * SECOND + MS, MS));
        clock.addAndGet(MS);
        assertThat(store.take("k", spec)).as("exactly one interval later").isEqualTo(new Take(true, 0, 3 * SECOND, 0));
        assertThat(store.take("k", spec).allowed()).isFalse();

        clock.addAndGet(HOUR); // idle far longer than the window: full, and no fuller
        for (long left = 2; left >= 0; left--) assertThat(store.take("k", spec).remaining()).isEqualTo(left);
        assertThat(store.take("k", spec).allowed()).isFalse();
    }

    @Test
    void theSweepForgetsOnlyFullBucketsAndAForgottenBucketIsNoDifferent() {
        BucketSpec fast = new BucketSpec(3, SECOND);
        BucketSpec slow = new BucketSpec(3, HOUR);
        store.take("fast", fast);
        store.take("slow", slow);
        store.take("slow", slow);
        assertThat(store.sweep()).as("nothing full yet").isEqualTo(2);

        clock.addAndGet(SECOND - 1);
        assertThat(store.sweep()).as("one nanosecond short of full").isEqualTo(2);
        clock.addAndGet(1);
        assertThat(store.sweep()).as("fast is full again, slow is not").isEqualTo(1);

        assertThat(store.take("fast", fast).remaining()).as("starts full, as it was").isEqualTo(2);
        assertThat(store.take("slow", slow).remaining()).as("kept, with its two takes").isEqualTo(0);
        assertThat(store.take("slow", slow).allowed()).isFalse();
        assertThat(store.sweep()).isEqualTo(2);
    }

    @Test
    void aTakeRacingTheSweepNeverGetsAnExtraToken() throws Exception {
        // burst 1: each round every bucket starts full (so sweepable) and exactly one take per key may pass;
        // a take landing on a bucket the sweep has just removed would let a second one through
        BucketSpec spec = new BucketSpec(1, HOUR);
        int keys = 8;
        int rounds = 3000;
        int takers = 4;
        AtomicIntegerArray allowed = new AtomicIntegerArray(rounds * keys);
        AtomicBoolean done = new AtomicBoolean();
        Thread sweeper = Thread.ofPlatform().start(() -> {
            while (!done.get()) store.sweep();
        });
        CyclicBarrier nextRound = new CyclicBarrier(takers, () -> clock.addAndGet(2 * HOUR));
        try {
            runConcurrently(takers, t -> {
                for (int round = 0; round < rounds; round++) {
                    await(nextRound);
                    for (int i = 0; i < keys; i++) {
                        int key = (i + t) % keys; // each taker in its own order
                        if (store.take("k" + key, spec).allowed()) allowed.incrementAndGet(round * keys + key);
                    }
                }
            });
        } finally {
            done.set(true);
            sweeper.join();
        }
        for (int i = 0; i < allowed.length(); i++) {
            assertThat(allowed.get(i)).as("round %d key %d", i / keys, i % keys).isEqualTo(1);
        }
    }

    @Test
    void closeForgetsEverything() {
        BucketSpec spec = new BucketSpec(2, HOUR);
        store.take("a", spec);
        assertThat(store.describe()).isEqualTo("memory (1 active buckets)");
        store.close();
        assertThat(store.describe()).isEqualTo("memory (0 active buckets)");
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} platform threads (truly parallel), rethrowing the first failure. */
    private static void runConcurrently(int threads, Body body) throws Exception {
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier go = new CyclicBarrier(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    body.run(thread);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : started) thread.join();
        if (!failures.isEmpty()) throw new AssertionError(failures.getFirst());
    }

    private static void await(CyclicBarrier barrier) throws Exception {
        barrier.await(10, TimeUnit.SECONDS); // a taker that failed breaks the barrier instead of hanging the rest
    }
}
