package dev.gateway.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body as framed on the wire: a fixed length, chunked (extensions and trailers discarded), or until the
 * target closes. A body that ends before its framing says fails with an IOException, so a truncated answer is
 * never passed off as complete. Reaching the end calls {@code done} once, which pools or closes the connection.
 */
final class ResponseBody extends InputStream {
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;
    private static final int MAX_TRAILER_LINES = 100;

    private final UpstreamConnection connection;
    private final boolean chunked;
    private final Runnable done;
    private final byte[] single = new byte[1];
    private long left; // bytes left in the body (fixed) or in the current chunk (chunked); -1: until close
    private boolean finished;
    private boolean started; // a chunk was read, so the next size line follows its CRLF

    /** {@code length}: the body's length, or -1 when chunked or read until close. */
    ResponseBody(UpstreamConnection connection, long length, boolean chunked, Runnable done) {
        this.connection = connection;
        this.chunked = chunked;
        this.done = done;
        this.left = chunked ? 0 : length;
        if (length == 0 && !chunked) finish();
    }

    boolean finished() {
        return finished;
    }

    @Override
    public int read() throws IOException {
        return read(single, 0, 1) < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) return -1;
        if (len == 0) return 0;
        if (chunked && left == 0 && !nextChunk()) return -1;
        int want = left < 0 ? len : (int) Math.min(len, left);
        int n = connection.read(b, off, want);
        if (n < 0) {
            if (left < 0) {
                finish();
                return -1;
            }
            throw new EOFException("the upstream closed the connection " + left + " bytes before the body's end");
        }
        if (left > 0) {
            left -= n;
            if (left == 0 && !chunked) finish();
        }
        return n;
    }

    /**
     * Body bytes readable without waiting on the target: those already buffered, within the body (and within the
     * current chunk: between chunks the next one's size line must be read first, so 0).
     */
    @Override
    public int available() {
        if (finished || (chunked && left == 0)) return 0;
        int buffered = connection.buffered();
        return left < 0 ? buffered : (int) Math.min(buffered, left);
    }

    /** Reads the next chunk's size line (after the previous chunk's CRLF); false after the last chunk. */
    private boolean nextChunk() throws IOException {
        if (started) {
            if (!connection.readFramingLine().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
        started = true;
        String line = connection.readFramingLine();
        int semi = line.indexOf(';');
        String size = (semi >= 0 ? line.substring(0, semi) : line).strip();
        if (size.isEmpty() || size.length() > MAX_CHUNK_SIZE_DIGITS) throw new IOException("malformed chunk size");
        long n;
        try {
            n = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size");
        }
        if (n < 0) throw new IOException("malformed chunk size");
        if (n > 0) {
            left = n;
            return true;
        }
        for (int i = 0; !connection.readFramingLine().isEmpty(); i++) {
            if (i >= MAX_TRAILER_LINES) throw new IOException("too many trailer lines");
        }
        finish();
        return false;
    }

    private void finish() {
        if (finished) return;
        finished = true;
        done.run();
    }
}
