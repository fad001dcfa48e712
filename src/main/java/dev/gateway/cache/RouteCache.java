package dev.gateway.cache;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.config.RouteCacheConfig;

/**
 * One route's view of the {@link ResponseCache}: which requests may be served from it (GET and HEAD, without
 * {@code Authorization} unless the route shares with authenticated clients, and not when the client says
 * {@code no-cache}), which responses may be stored (200, 203, 301 and 404, without {@code no-store}, {@code private},
 * {@code no-cache} or {@code Set-Cookie}, a {@code Vary} other than {@code *}, a body within {@code max-entry-size})
 * and for how long ({@code s-maxage}, else {@code max-age}, else the route's {@code ttl}). Immutable; thread-safe.
 */
public final class RouteCache {
    static final Set<Integer> CACHEABLE = Set.of(200, 203, 301, 404);
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*(s-maxage|max-age)\\s*=\\s*\"?(\\d{1,10})\"?");

    private final String fingerprint;
    private final RouteCacheConfig config;
    private final ResponseCache store;
    private final LongSupplier nanoClock;

    /** {@code fingerprint}: names the route and its config, so a changed route does not see its old entries. */
    public RouteCache(String fingerprint, RouteCacheConfig config, ResponseCache store, LongSupplier nanoClock) {
        this.fingerprint = fingerprint.replace('|', '/');
        this.config = config;
        this.store = store;
        this.nanoClock = nanoClock;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public ResponseCache store() {
        return store;
    }

    /**
     * The key for this request, or null when it must not be served from or stored in the cache. HEAD shares GET's
     * key: a stored GET answers it (without the body); only GET responses are stored.
     */
    public String key(String method, String pathAndQuery, Function<String, String> requestHeader) {
        if (!method.equals("GET") && !method.equals("HEAD")) return null;
        if (requestHeader.apply("authorization") != null && !config.sharedWithAuthenticated()) return null;
        String cc = lower(requestHeader.apply("cache-control"));
        if (cc.contains("no-store")) return null;
        return fingerprint + "|GET|" + pathAndQuery;
    }

    /** Whether the client asks for a fresh answer (it may still be stored). */
    public static boolean wantsFresh(Function<String, String> requestHeader) {
        return lower(requestHeader.apply("cache-control")).contains("no-cache")
                || lower(requestHeader.apply("pragma")).contains("no-cache");
    }

    /**
     * Starts recording a response with {@code status} and {@code headers} (as the client gets them) for {@code key};
     * null when it may not be stored. {@code declaredLength}: the body's length when known, else -1.
     */
    public Recorder record(String key, int status, List<Map.Entry<String, String>> headers, long declaredLength,
                           Function<String, String> requestHeader) {
        if (!CACHEABLE.contains(status) || declaredLength > config.maxEntrySize()) return null;
        StringBuilder cacheControl = new StringBuilder();
        List<String> vary = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("set-cookie")) return null;
            if (name.equals("cache-control")) cacheControl.append(',').append(lower(h.getValue()));
            if (name.equals("vary")) {
                Arrays.stream(h.getValue().split(",")).map(v -> v.strip().toLowerCase(Locale.ROOT))
                        .filter(v -> !v.isEmpty()).forEach(vary::add);
            }
        }
        String cc = cacheControl.toString();
        if (cc.contains("no-store") || cc.contains("private") || cc.contains("no-cache") || vary.contains("*")) {
            return null;
        }
        long ttlNanos = config.ttl().toNanos();
        Matcher m = MAX_AGE.matcher(cc);
        Long maxAge = null;
        Long sMaxAge = null;
        while (m.find()) {
            long seconds = Long.parseLong(m.group(2));
            if (m.group(1).equals("s-maxage")) sMaxAge = seconds;
            else maxAge = seconds;
        }
        Long seconds = sMaxAge != null ? sMaxAge : maxAge;
        if (seconds != null) ttlNanos = Math.multiplyExact(seconds, 1_000_000_000L);
        if (ttlNanos <= 0) return null;
        List<String> names = vary.stream().distinct().sorted().toList();
        List<String> values = names.stream().map(n -> CachedResponse.valueOf(requestHeader, n)).toList();
        return new Recorder(key, status, headers, names, values, ttlNanos);
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }

    /** Collects one response's body while it streams to the client, and stores it when it ends within bounds. */
    public final class Recorder {
        private final String key;
        private final int status;
        private final List<Map.Entry<String, String>> headers;
        private final List<String> varyNames;
        private final List<String> varyValues;
        private final long ttlNanos;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean overflow;

        private Recorder(String key, int status, List<Map.Entry<String, String>> headers, List<String> varyNames,
                         List<String> varyValues, long ttlNanos) {
            this.key = key;
            this.status = status;
            this.headers = List.copyOf(headers);
            this.varyNames = varyNames;
            this.varyValues = varyValues;
            this.ttlNanos = ttlNanos;
        }

        /** Bytes the client was just sent. */
        public void write(byte[] bytes, int offset, int length) {
            if (overflow) return;
            if (body.size() + length > config.maxEntrySize()) {
                overflow = true;
                body.reset();
                return;
            }
            body.write(bytes, offset, length);
        }

        /** The whole body went to the client: stores it and returns the entry; null when it was too large. */
        public CachedResponse complete() {
            if (overflow) return null;
            long now = nanoClock.getAsLong();
            CachedResponse r = new CachedResponse(status, headers, body.toByteArray(), now, now + ttlNanos, varyNames,
                    varyValues);
            store.put(key, r);
            return r;
        }
    }
}
