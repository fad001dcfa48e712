package dev.gateway.resilience;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of the requests seen in the last window (10 s), plus a small floor so a quiet upstream
 * can still retry a few times: a failing upstream then gets at most that much extra load, never a retry storm.
 * Lock-free; thread-safe.
 */
public final class RetryBudget {
    static final long WINDOW_NANOS = 10_000_000_000L;
    static final int FLOOR = 3;

    private record Window(long start, long requests, long retries) {
    }

    private final int percent;
    private final LongSupplier nanoClock;
    private final AtomicReference<Window> window;

    public RetryBudget(int percent, LongSupplier nanoClock) {
        this.percent = percent;
        this.nanoClock = nanoClock;
        this.window = new AtomicReference<>(new Window(nanoClock.getAsLong(), 0, 0));
    }

    /** Counts one request (not its retries). */
    public void request() {
        window.updateAndGet(w -> current(w, nanoClock.getAsLong(), 1, 0));
    }

    /** Takes one retry from the budget; false when the budget is spent. */
    public boolean tryRetry() {
        long now = nanoClock.getAsLong();
        while (true) {
            Window seen = window.get();
            Window w = current(seen, now, 0, 0);
            if (w.retries() >= Math.max(FLOOR, w.requests() * percent / 100)) return false;
            if (window.compareAndSet(seen, new Window(w.start(), w.requests(), w.retries() + 1))) return true;
        }
    }

    private static Window current(Window w, long now, long requests, long retries) {
        if (now - w.start() >= WINDOW_NANOS) return new Window(now, requests, retries);
        return new Window(w.start(), w.requests() + requests, w.retries() + retries);
    }
}
