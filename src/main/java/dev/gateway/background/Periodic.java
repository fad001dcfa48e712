package dev.gateway.background;

import java.time.Duration;

/**
 * A task run every {@code interval} on a virtual thread of its own (first run one interval after {@link #start}),
 * until {@link #close()}: the idle sweeps of the rate-limit store, the response cache and the WebSocket sessions.
 * Thread-safe.
 */
public final class Periodic implements AutoCloseable {
    private final Thread thread;

    /** Made stopped; {@code name} names the thread. */
    public Periodic(String name, Duration interval, Runnable task) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
            while (true) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                task.run();
            }
        });
    }

    /** Starts the runs; call once. */
    public Periodic start() {
        thread.start();
        return this;
    }

    /** Stops the runs (one in progress finishes). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
