package dev.gateway.observe;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.gateway.pipeline.Exchange;

/**
 * The gateway's Prometheus metrics, for the life of the process (kept across reloads). Series are named only by
 * what the config names (routes, upstreams) and by small fixed sets (method, status class, decision, reason), never
 * by raw paths, so cardinality is bounded by the file. Counters are LongAdders: nothing on the request path locks.
 * Gauges that describe the running snapshot (target health, breaker states, open WebSockets) come from collectors
 * that the composition root registers. Thread-safe.
 */
public final class Metrics {
    /** The route label of requests that matched no route. */
    public static final String UNMATCHED = "(unmatched)";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    private static final String[] DECISIONS = {"allowed", "limited", "store_error"};

    /** A rate-limit check's outcome, as counted. */
    public enum Decision { ALLOWED, LIMITED, STORE_ERROR }

    private final Map<String, RouteSeries> routes = new ConcurrentHashMap<>();
    private final Map<String, UpstreamSeries> upstreams = new ConcurrentHashMap<>();
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final List<Consumer<Exposition>> collectors = new CopyOnWriteArrayList<>();

    private static final class RouteSeries {
        final LongAdder[] requests = new LongAdder[(METHODS.size() + 1) * CODES.length];
        final Histogram duration = new Histogram();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder[] decisions = {new LongAdder(), new LongAdder(), new LongAdder()};
        final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();

        RouteSeries() {
            for (int i = 0; i < requests.length; i++) requests[i] = new LongAdder();
        }
    }

    private RouteSeries route(String name) {
        String key = name == null ? UNMATCHED : name;
        RouteSeries r = routes.get(key); // lock-free once the series exists
        return r != null ? r : routes.computeIfAbsent(key, n -> new RouteSeries());
    }

    /** Counts a finished request by its route, method and status class, with its duration and byte counts. */
    public void request(Exchange ex, long endNanos) {
        RouteSeries r = route(ex.route());
        int method = METHODS.indexOf(ex.method());
        if (method < 0) method = METHODS.size();
        int status = ex.status();
        int code = status >= 100 && status < 600 ? status / 100 - 1 : CODES.length - 1;
        r.requests[method * CODES.length + code].increment();
        r.duration.observe(endNanos - ex.startNanos());
        if (ex.bytesIn() > 0) r.bytesIn.add(ex.bytesIn());
        if (ex.bytesOut() > 0) r.bytesOut.add(ex.bytesOut());
    }

    /** The series of upstream {@code name} (a configured upstream, or an inline URL template). */
    public UpstreamSeries upstream(String name) {
        return upstreams.computeIfAbsent(name, n -> new UpstreamSeries());
    }

    public void rateLimit(String route, Decision decision) {
        route(route).decisions[decision.ordinal()].increment();
    }

    /** A request refused by the route's token gate; {@code reason} is one of a fixed set of labels. */
    public void jwtRejected(String route, String reason) {
        route(route).rejections.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public void reloaded(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    /** Adds gauges written at every scrape, after the counters. */
    public void addCollector(Consumer<Exposition> collector) {
        collectors.add(collector);
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        Exposition out = new Exposition();
        Map<String, RouteSeries> byRoute = new TreeMap<>(routes);
        out.family("gateway_requests_total", "counter", "Requests answered, by route, method and status class.");
        byRoute.forEach((name, r) -> {
            for (int m = 0; m <= METHODS.size(); m++) {
                for (int c = 0; c < CODES.length; c++) {
                    long n = r.requests[m * CODES.length + c].sum();
                    if (n > 0) out.sample("gateway_requests_total", n, "route", name, "method",
                            m < METHODS.size() ? METHODS.get(m) : "OTHER", "code", CODES[c]);
                }
            }
        });
        out.family("gateway_request_duration_seconds", "histogram",
                "Time from a request's arrival to the end of its answer, by route.");
        byRoute.forEach((name, r) -> r.duration.write(out, "gateway_request_duration_seconds", "route", name));
        out.family("gateway_request_bytes_total", "counter", "Request body bytes read from clients, by route.");
        byRoute.forEach((name, r) -> out.sample("gateway_request_bytes_total", r.bytesIn.sum(), "route", name));
        out.family("gateway_response_bytes_total", "counter", "Response body bytes sent to clients, by route.");
        byRoute.forEach((name, r) -> out.sample("gateway_response_bytes_total", r.bytesOut.sum(), "route", name));
        out.family("gateway_rate_limit_decisions_total", "counter",
                "Rate-limit checks by route and outcome (store_error: the store did not answer).");
        byRoute.forEach((name, r) -> {
            for (int d = 0; d < DECISIONS.length; d++) {
                long n = r.decisions[d].sum();
                if (n > 0) out.sample("gateway_rate_limit_decisions_total", n, "route", name, "decision", DECISIONS[d]);
            }
        });
        out.family("gateway_jwt_rejections_total", "counter", "Requests refused by a route's token check, by reason.");
        byRoute.forEach((name, r) -> new TreeMap<>(r.rejections).forEach((reason, n) ->
                out.sample("gateway_jwt_rejections_total", n.sum(), "route", name, "reason", reason)));
        Map<String, UpstreamSeries> byUpstream = new TreeMap<>(upstreams);
        out.family("gateway_upstream_attempt_duration_seconds", "histogram",
                "Time from sending a request upstream to its response headers (or failure), per attempt.");
        byUpstream.forEach((name, u) -> u.attempts.write(out, "gateway_upstream_attempt_duration_seconds",
                "upstream", name));
        out.family("gateway_upstream_retries_total", "counter", "Attempts made again after a failed one, by upstream.");
        byUpstream.forEach((name, u) -> out.sample("gateway_upstream_retries_total", u.retries.sum(), "upstream", name));
        out.family("gateway_config_reloads_total", "counter", "Config reloads by result.");
        out.sample("gateway_config_reloads_total", reloadsOk.sum(), "result", "success");
        out.sample("gateway_config_reloads_total", reloadsFailed.sum(), "result", "failure");
        for (Consumer<Exposition> c : collectors) c.accept(out);
        return out.toString();
    }
}
