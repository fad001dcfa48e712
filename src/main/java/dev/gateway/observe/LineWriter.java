package dev.gateway.observe;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one line per item to a stream from one background thread, many lines per write: a request thread only
 * queues its item (a lock-free offer), where writing a line itself cost a contended lock and a system call per
 * request. The thread formats each item straight into the batch's UTF-8 bytes ({@link Format}), so a request
 * thread neither builds the line nor encodes it (the access log cost about 6% of a small proxied GET's throughput
 * when it did, about 3% since). Lines keep their order.
 * While lines keep coming the thread gathers them for a millisecond between writes, so request threads need not
 * wake it; when idle it sleeps until the next line. When {@value #MAX_PENDING} lines wait (the stream is slower
 * than the traffic), writers wait for it rather than lose lines. {@link #close()} writes what is queued.
 * Thread-safe.
 */
final class LineWriter<T> implements AutoCloseable {
    /** Writes an item's line, without its line end; called on the writer's thread only. */
    interface Format<T> {
        void write(T item, LineBuffer out);
    }

    static final int MAX_PENDING = 65_536;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final long GATHER_NANOS = 1_000_000;

    private final PrintStream out;
    private final Format<T> format;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;

    LineWriter(PrintStream out, String name, Format<T> format) {
        this.out = out;
        this.format = format;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Queues {@code item}'s line; the item must not change afterwards. */
    void write(T item) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            while (pending.get() > MAX_PENDING && !closed) LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        queue.offer(item);
        if (parked) LockSupport.unpark(thread);
    }

    private void run() {
        LineBuffer batch = new LineBuffer(2 * BATCH_BYTES);
        while (true) {
            int lines = 0;
            for (T item; (item = queue.poll()) != null; ) {
                int mark = batch.size();
                try {
                    format.write(item, batch);
                    batch.ascii('\n');
                } catch (RuntimeException e) {
                    // a line that cannot be formatted is left out; the thread must go on, or writers would wait
                    batch.truncate(mark);
                }
                lines++;
                if (batch.size() >= BATCH_BYTES) {
                    emit(batch, lines);
                    lines = 0;
                    // an unusually long line grew the buffer: the memory goes back
                    if (batch.bytes().length > 4 * BATCH_BYTES) batch = new LineBuffer(2 * BATCH_BYTES);
                }
            }
            boolean wrote = lines > 0;
            emit(batch, lines);
            if (closed && queue.isEmpty()) return;
            if (wrote) {
                LockSupport.parkNanos(this, GATHER_NANOS);
                continue;
            }
            parked = true;
            if (queue.isEmpty() && !closed) LockSupport.park(this);
            parked = false;
        }
    }

    private void emit(LineBuffer batch, int lines) {
        if (lines == 0) return;
        out.write(batch.bytes(), 0, batch.size());
        out.flush();
        batch.clear();
        pending.addAndGet(-lines);
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
