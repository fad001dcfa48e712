package dev.gateway.proxy;

import java.io.InputStream;
import java.util.function.BiConsumer;

/**
 * A response whose headers have arrived and whose body is still on the wire. Close it after reading the body
 * to the end (the connection goes back to the pool), or {@link #abort()} it to drop the connection.
 */
public interface UpstreamResponse extends AutoCloseable {
    int status();

    /** Calls {@code action} with each header as received (name, value), hop-by-hop ones included. */
    void forEachHeader(BiConsumer<String, String> action);

    /** The body stream, or {@code null} when the response has none. */
    InputStream body();

    /** The body length when the upstream declared it, else -1. */
    long contentLength();

    /** Drops the connection instead of returning it to the pool (the body was not read to the end). */
    void abort();

    @Override
    void close();
}
