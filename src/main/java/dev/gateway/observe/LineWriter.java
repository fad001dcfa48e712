package dev.gateway.observe;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes lines to a stream from one background thread, many lines per write: a request thread only queues its line
 * (a lock-free offer), where writing it itself cost a contended lock and a system call per request. Lines keep their
 * order. When {@value #MAX_PENDING} lines wait (the stream is slower than the traffic), writers wait for it rather
 * than lose lines. {@link #close()} writes what is queued. Thread-safe.
 */
final class LineWriter implements AutoCloseable {
    static final int MAX_PENDING = 65_536;
    private static final int BATCH_CHARS = 64 * 1024;

    private final PrintStream out;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;

    LineWriter(PrintStream out, String name) {
        this.out = out;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    void write(String line) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            while (pending.get() > MAX_PENDING && !closed) LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        queue.offer(line);
        if (parked) LockSupport.unpark(thread);
    }

    private void run() {
        StringBuilder batch = new StringBuilder(BATCH_CHARS + 1024);
        while (true) {
            int lines = 0;
            for (String line; (line = queue.poll()) != null; ) {
                batch.append(line).append('\n');
                lines++;
                if (batch.length() >= BATCH_CHARS) lines = emit(batch, lines);
            }
            emit(batch, lines);
            if (closed && queue.isEmpty()) return;
            parked = true;
            if (queue.isEmpty() && !closed) LockSupport.park(this);
            parked = false;
        }
    }

    /** Writes the batch; returns 0, the lines left in it. */
    private int emit(StringBuilder batch, int lines) {
        if (lines == 0) return 0;
        out.print(batch);
        out.flush();
        batch.setLength(0);
        pending.addAndGet(-lines);
        return 0;
    }

    /** Writes every queued line, then stops the thread (waits up to 5 s for a stuck stream). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
