package dev.gateway.observe;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes lines to a stream from one background thread, many lines per write: a request thread only queues its line
 * (a lock-free offer), where writing it itself cost a contended lock and a system call per request. Lines are
 * written as UTF-8 bytes (the stream's own character encoder was most of the thread's work) and keep their order.
 * While lines keep coming the thread gathers them for a millisecond between writes, so request threads need not
 * wake it; when idle it sleeps until the next line. When {@value #MAX_PENDING} lines wait (the stream is slower
 * than the traffic), writers wait for it rather than lose lines. {@link #close()} writes what is queued.
 * Thread-safe.
 */
final class LineWriter implements AutoCloseable {
    static final int MAX_PENDING = 65_536;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final long GATHER_NANOS = 1_000_000;

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
        byte[] batch = new byte[BATCH_BYTES];
        while (true) {
            int lines = 0;
            int size = 0;
            for (String line; (line = queue.poll()) != null; ) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (size + bytes.length + 1 > batch.length) {
                    emit(batch, size, lines);
                    size = 0;
                    lines = 0;
                    if (bytes.length + 1 > batch.length) batch = new byte[bytes.length + 1];
                }
                System.arraycopy(bytes, 0, batch, size, bytes.length);
                size += bytes.length;
                batch[size++] = '\n';
                lines++;
            }
            boolean wrote = size > 0;
            emit(batch, size, lines);
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

    private void emit(byte[] batch, int size, int lines) {
        if (lines == 0) return;
        out.write(batch, 0, size);
        out.flush();
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
