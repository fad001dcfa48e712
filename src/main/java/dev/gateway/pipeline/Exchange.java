package dev.gateway.pipeline;

/**
 * What the gateway learns about one request as it passes through: identity, routing decision, outcome and byte
 * counts. Created by the handler, filled in by each step, read by the access log. One per request, used by one
 * thread at a time, so plain fields suffice.
 */
public final class Exchange {
    private final long startNanos;
    private final long startEpochMillis;
    private final String requestId;
    private final String peerIp;
    private final String method;
    private final String path;
    private final TraceContext trace;
    private String clientIp;
    private String protocol = "HTTP/1.1";
    private boolean secure;
    private String route;
    private String upstream;
    private String target;
    private int status;
    private long bytesIn;
    private long bytesOut;

    /** {@code peerIp}: the socket's peer; it is also the client until {@link #clientIp(String)} says otherwise. */
    public Exchange(long startNanos, long startEpochMillis, String requestId, TraceContext trace, String peerIp,
                    String method, String path) {
        this.trace = trace;
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.requestId = requestId;
        this.peerIp = peerIp;
        this.clientIp = peerIp;
        this.method = method;
        this.path = path;
    }

    public long startNanos() { return startNanos; }
    public long startEpochMillis() { return startEpochMillis; }
    public String requestId() { return requestId; }
    public TraceContext trace() { return trace; }
    /** The client's address: the peer, or what trusted proxies reported in X-Forwarded-For. */
    public String clientIp() { return clientIp; }
    /** The address the request came from on the socket (the last hop). */
    public String peerIp() { return peerIp; }
    public String protocol() { return protocol; }
    public boolean secure() { return secure; }
    public String method() { return method; }
    public String path() { return path; }
    public String route() { return route; }
    public String upstream() { return upstream; }
    public String target() { return target; }
    public int status() { return status; }
    public long bytesIn() { return bytesIn; }
    public long bytesOut() { return bytesOut; }

    public void route(String route, String upstream) {
        this.route = route;
        this.upstream = upstream;
    }

    /** The protocol the client spoke ({@code HTTP/1.1}, {@code HTTP/2.0}) and whether over TLS. */
    public void connection(String protocol, boolean secure) {
        this.protocol = protocol;
        this.secure = secure;
    }

    public void clientIp(String clientIp) { this.clientIp = clientIp; }
    public void target(String target) { this.target = target; }
    public void status(int status) { this.status = status; }
    public void bytesIn(long bytesIn) { this.bytesIn = bytesIn; }
    public void bytesOut(long bytesOut) { this.bytesOut = bytesOut; }
}
