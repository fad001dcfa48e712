package dev.gateway.proxy;

/**
 * Sends requests to the targets of one upstream over pooled keep-alive connections. The one seam between the
 * gateway and its HTTP client library, so the library can be swapped. Thread-safe.
 */
public interface UpstreamClient extends AutoCloseable {

    /** Sends the request (streaming its body) and returns once response headers arrive. */
    UpstreamResponse send(UpstreamRequest request) throws UpstreamFailure;

    /** Closes every pooled connection; requests in flight may fail. */
    @Override
    void close();
}
