package dev.gateway.cors;

import dev.gateway.config.CorsConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One route's CORS rules (Fetch standard), compiled once from a {@link CorsConfig}; immutable and thread-safe.
 * The constructor throws {@link IllegalArgumentException} for a malformed origin, method or header name and for
 * origins {@code *} with credentials. Headers are read through a function from a lower-case name to the value
 * (or {@code null}). CORS-safelisted methods (GET, HEAD, POST) always pass the preflight method check, as they
 * do in the browser; {@code *} in headers never covers {@code Authorization}, which must be listed by name.
 */
public final class CorsPolicy {
    private static final String WILDCARD = "*";
    private static final String AUTHORIZATION = "authorization";
    private static final Set<String> SAFELISTED_METHODS = Set.of("GET", "HEAD", "POST");
    private static final Map.Entry<String, String> VARY_ORIGIN = Map.entry("Vary", "Origin");
    private static final Map.Entry<String, String> VARY_PREFLIGHT =
            Map.entry("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    private static final Answer REFUSED = new Answer(403, List.of(VARY_PREFLIGHT));

    private final boolean anyOrigin;
    private final Set<String> origins;
    private final boolean anyMethod;
    private final List<String> methods;
    private final boolean anyHeader;
    private final Set<String> headers;
    private final String exposeHeaders;
    private final boolean credentials;
    private final String maxAgeSeconds;

    public CorsPolicy(CorsConfig config) {
        anyOrigin = config.origins().contains(WILDCARD);
        if (anyOrigin && config.credentials()) {
            throw new IllegalArgumentException("cors: origins '*' cannot be combined with credentials: true");
        }
        origins = config.origins().stream().filter(o -> !o.equals(WILDCARD))
                .map(o -> SerializedOrigin.key(o)
                        .orElseThrow(() -> invalid("origin", o, "expected scheme://host[:port], 'null' or '*'")))
                .collect(Collectors.toUnmodifiableSet());
        anyMethod = config.methods().contains(WILDCARD);
        methods = config.methods().stream().filter(m -> !m.equals(WILDCARD))
                .map(m -> FieldTokens.method(m).orElseThrow(() -> invalid("method", m, "not an HTTP token")))
                .distinct().toList();
        anyHeader = config.headers().contains(WILDCARD);
        headers = config.headers().stream().filter(h -> !h.equals(WILDCARD))
                .map(h -> headerName(h).toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        List<String> expose = config.exposeHeaders().stream()
                .map(h -> h.equals(WILDCARD) ? h : headerName(h)).distinct().toList();
        exposeHeaders = String.join(", ", expose);
        credentials = config.credentials();
        maxAgeSeconds = config.maxAge() == null || config.maxAge().isNegative()
                ? null : Long.toString(config.maxAge().toSeconds());
    }

    /** True for a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
    public static boolean isPreflight(String method, Function<String, String> header) {
        return "OPTIONS".equals(method)
                && header.apply("origin") != null
                && header.apply("access-control-request-method") != null;
    }

    /** The lower-case header names a preflight says the actual request will send (its Access-Control-Request-Headers). */
    public static Set<String> requestedHeaders(Function<String, String> header) {
        return FieldTokens.names(header.apply("access-control-request-headers")).map(Set::copyOf).orElse(Set.of());
    }

    /** The gateway's own answer to a preflight (never forwarded upstream, no auth): 204 or 403, plus headers. */
    public Answer preflight(Function<String, String> header) {
        String origin = header.apply("origin");
        String requestMethod = header.apply("access-control-request-method");
        if (origin == null || !originAllowed(origin) || requestMethod == null) {
            return REFUSED;
        }
        Optional<String> method = FieldTokens.method(requestMethod).filter(this::methodAllowed);
        Optional<List<String>> requested = FieldTokens.names(header.apply("access-control-request-headers"));
        if (method.isEmpty() || requested.isEmpty() || !requested.get().stream().allMatch(this::headerAllowed)) {
            return REFUSED;
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("Access-Control-Allow-Origin", allowOrigin(origin)));
        String allowMethods = anyMethod ? (credentials ? method.get() : WILDCARD) : String.join(", ", methods);
        addIfPresent(out, "Access-Control-Allow-Methods", allowMethods);
        addIfPresent(out, "Access-Control-Allow-Headers", allowHeaders(requested.get()));
        if (credentials) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        addIfPresent(out, "Access-Control-Max-Age", maxAgeSeconds);
        out.add(VARY_PREFLIGHT);
        return new Answer(204, out);
    }

    /**
     * Headers to add to an actual (non-preflight) response (append to, never replace, an upstream Vary). Only
     * Vary: Origin when the request has no Origin or the origin is not allowed; Vary: Origin is always there
     * because even a wildcard policy answers differently with and without an Origin.
     */
    public List<Map.Entry<String, String>> actualResponseHeaders(Function<String, String> header) {
        String origin = header.apply("origin");
        if (origin == null || !originAllowed(origin)) {
            return List.of(VARY_ORIGIN);
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("Access-Control-Allow-Origin", allowOrigin(origin)));
        if (credentials) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        addIfPresent(out, "Access-Control-Expose-Headers", exposeHeaders);
        out.add(VARY_ORIGIN);
        return List.copyOf(out);
    }

    /** A preflight's outcome: status 204 (allowed) or 403 (refused; no Access-Control-Allow-* headers). */
    public record Answer(int status, List<Map.Entry<String, String>> headers) {
        public Answer {
            headers = List.copyOf(headers);
        }
    }

    private boolean originAllowed(String origin) {
        return anyOrigin || SerializedOrigin.key(origin).filter(origins::contains).isPresent();
    }

    /** Browsers compare Access-Control-Allow-Origin byte for byte, so the echo is the origin as sent. */
    private String allowOrigin(String origin) {
        return anyOrigin ? WILDCARD : origin.strip();
    }

    private boolean methodAllowed(String method) {
        return anyMethod || SAFELISTED_METHODS.contains(method) || methods.contains(method);
    }

    private boolean headerAllowed(String name) {
        return headers.contains(name) || (anyHeader && !name.equals(AUTHORIZATION));
    }

    private String allowHeaders(List<String> requested) {
        if (anyHeader && !credentials) {
            // With credentials a literal "*" means a header named "*"; without, it covers all but Authorization.
            return requested.contains(AUTHORIZATION) ? WILDCARD + ", " + AUTHORIZATION : WILDCARD;
        }
        return String.join(", ", requested);
    }

    private static void addIfPresent(List<Map.Entry<String, String>> out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.add(Map.entry(name, value));
        }
    }

    private static String headerName(String name) {
        if (!FieldTokens.isToken(name.strip())) {
            throw invalid("header", name, "not an HTTP token");
        }
        return name.strip();
    }

    private static IllegalArgumentException invalid(String what, String value, String why) {
        return new IllegalArgumentException("cors: invalid " + what + " '" + value + "': " + why);
    }
}
