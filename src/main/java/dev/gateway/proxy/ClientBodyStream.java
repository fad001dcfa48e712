package dev.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;

/**
 * The client's request body on its way upstream: counts bytes, enforces the route's size limit while
 * streaming (chunked bodies have no length to check up front), and marks client-side read failures.
 */
final class ClientBodyStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;

    ClientBodyStream(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
