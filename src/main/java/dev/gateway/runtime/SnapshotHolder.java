package dev.gateway.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.gateway.observe.EventLog;

/**
 * Holds the current snapshot. A request {@link #acquire()}s one and runs start to finish on it; a reload
 * {@link #swap}s in the next atomically and retires the old one once its requests finish or a grace period
 * ends, closing only the resources the new one did not carry over. Thread-safe.
 */
public final class SnapshotHolder {
    private final AtomicReference<RuntimeSnapshot> current;
    private final EventLog events;

    public SnapshotHolder(RuntimeSnapshot initial, EventLog events) {
        this.current = new AtomicReference<>(initial);
        this.events = events;
    }

    public RuntimeSnapshot current() {
        return current.get();
    }

    RuntimeSnapshot acquire() {
        while (true) {
            RuntimeSnapshot s = current.get();
            if (s.enter()) return s;
        }
    }

    void release(RuntimeSnapshot s) {
        s.exit();
    }

    /** Makes {@code next} current and retires the previous snapshot in the background. */
    public void swap(RuntimeSnapshot next, Duration retireGrace) {
        RuntimeSnapshot old = current.getAndSet(next);
        old.markRetired();
        Thread.ofVirtual().name("retire-snapshot").start(() -> retire(old, next, retireGrace));
    }

    /** Retires the current snapshot for good (shutdown): waits for idle up to {@code grace}, closes everything. */
    public void close(Duration grace) {
        RuntimeSnapshot last = current.get();
        last.markRetired();
        retire(last, null, grace);
    }

    private void retire(RuntimeSnapshot old, RuntimeSnapshot successor, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!old.idle() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        old.closeExcept(successor, events::warn);
    }
}
