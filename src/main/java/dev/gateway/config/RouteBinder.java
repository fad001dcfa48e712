package dev.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.gateway.routing.PathPattern;
import dev.gateway.routing.RouteSpec;
import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code routes} list; the path templates are checked by {@link RouteTemplates}. */
final class RouteBinder {
    static final List<String> KEYS = List.of("name", "path", "methods", "host", "headers", "upstream", "rewrite",
            "strip-prefix", "max-body-size", "auth", "cors", "rate-limit", "cache", "websocket");
    private static final Pattern NAME = UpstreamBinder.NAME;
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");
    private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
    private static final String HEALTH = "/health";

    /**
     * One route as far as it bound: {@code config} is null when it has errors; {@code spec} (what it matches)
     * is null when the matching part has errors, so the route table is checked over the routes that can be.
     */
    record Bound(int index, RouteConfig config, RouteSpec spec) {
    }

    private final NodeReader reader;
    private final Findings findings;
    private final Map<String, String> upstreams;
    private final boolean jwtWritten;
    private final Map<String, String> policies;
    private final boolean rateLimitsWritten;
    private final AuthBinder authBinder;
    private final CorsBinder corsBinder;
    private final WebSocketBinder webSocketBinder;
    private final Set<String> referenced = new HashSet<>();
    private final Map<String, Node> names = new HashMap<>();

    /**
     * {@code upstreams}: every upstream name written in the file, valid or not; {@code jwtWritten}: whether the
     * file has a {@code jwt} section (valid or not), without which only public routes make sense;
     * {@code policies}: every rate-limit policy name written; {@code rateLimitsWritten}: whether a rate-limits
     * section is there at all.
     */
    RouteBinder(NodeReader reader, Map<String, String> upstreams, boolean jwtWritten, Map<String, String> policies,
                boolean rateLimitsWritten) {
        this.reader = reader;
        this.findings = reader.findings();
        this.upstreams = upstreams;
        this.jwtWritten = jwtWritten;
        this.policies = policies;
        this.rateLimitsWritten = rateLimitsWritten;
        this.authBinder = new AuthBinder(reader);
        this.corsBinder = new CorsBinder(reader);
        this.webSocketBinder = new WebSocketBinder(reader);
    }

    /** Upstream names some route refers to. */
    Set<String> referenced() {
        return referenced;
    }

    List<Bound> bind(List<Node> items) {
        List<Bound> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Bound b = route(i, items.get(i), "routes[" + i + "]");
            if (b != null) out.add(b);
        }
        return out;
    }

    private Bound route(int index, Node node, String path) {
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        for (String key : List.of("name", "path", "upstream")) {
            if (f.get(key) == null) findings.error(f.node(), path, "missing required key '" + key + "'");
        }
        String name = name(f);
        String template = f.get("path") == null ? null : reader.string(f.get("path"), f.child("path"));
        PathPattern pattern = template == null ? null : pattern(template, f);
        List<String> methods = f.get("methods") == null ? List.of() : methods(f.get("methods"), f.child("methods"));
        Optional<String> host = f.get("host") == null ? Optional.empty() : host(f.get("host"), f.child("host"));
        Map<String, String> headers = f.get("headers") == null ? Map.of() : headers(f.get("headers"), f.child("headers"));

        RouteTemplates templates = new RouteTemplates(reader, f, pattern);
        String upstream = f.get("upstream") == null ? null : upstream(f, templates);
        Optional<String> rewrite = templates.rewrite();
        Optional<String> strip = templates.stripPrefix();
        Optional<Long> maxBody = Optional.empty();
        boolean sizeOk = true;
        if (f.get("max-body-size") != null) {
            Long size = reader.size(f.get("max-body-size"), f.child("max-body-size"));
            sizeOk = size != null;
            maxBody = Optional.ofNullable(size);
        }
        AuthConfig auth = auth(f);
        Optional<CorsConfig> cors = corsBinder.bind(f.get("cors"), f.child("cors"));
        List<String> rateLimits = f.get("rate-limit") == null ? List.of() : rateLimits(f.get("rate-limit"),
                f.child("rate-limit"));
        Optional<RouteCacheConfig> cache = CacheBinder.route(reader, f.get("cache"), f.child("cache"));
        Optional<WebSocketConfig> websocket = webSocketBinder.bind(f.get("websocket"), f.child("websocket"));

        boolean matchOk = pattern != null && methods != null && host != null && headers != null;
        RouteSpec spec = matchOk ? new RouteSpec(name != null ? name : path, pattern, new HashSet<>(methods), host,
                headers) : null;
        boolean ok = matchOk && name != null && upstream != null && rewrite != null && strip != null && sizeOk
                && auth != null && cors != null && rateLimits != null && cache != null && websocket != null;
        RouteConfig config = ok ? new RouteConfig(name, template, methods, host, headers, upstream, rewrite, strip,
                maxBody, auth, cors, rateLimits, cache, websocket) : null;
        return new Bound(index, config, spec);
    }

    /** The policy names, each declared in rate-limits.policies and named once; null after recording errors. */
    private List<String> rateLimits(Node node, String path) {
        List<String> names = reader.strings(node, path);
        if (names == null) return null;
        if (!rateLimitsWritten) {
            findings.error(node, path, "no rate-limits section is configured (add rate-limits.policies)");
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!policies.containsKey(name)) {
                findings.error(node, path, "unknown rate-limit policy '" + name + "'"
                        + Suggestions.hint(name, policies.keySet().stream().sorted().toList()));
                ok = false;
            } else if (names.indexOf(name) != i) {
                findings.error(node, path, "policy '" + name + "' is listed twice");
                ok = false;
            }
        }
        return ok ? names : null;
    }

    private AuthConfig auth(Fields f) {
        Node node = f.get("auth");
        AuthConfig auth = authBinder.bind(node, f.child("auth"));
        if (auth != null && !auth.isPublic() && !jwtWritten) {
            findings.error(node == null ? f.node() : node, node == null ? f.path() : f.child("auth"),
                    "requires a bearer token but no jwt section is configured (add one, or mark the route `auth: public`)");
            return null;
        }
        return auth;
    }

    private String name(Fields f) {
        Node node = f.get("name");
        if (node == null) return null;
        String name = reader.string(node, f.child("name"));
        if (name == null) return null;
        if (!NAME.matcher(name).matches()) {
            findings.error(node, f.child("name"), "invalid route name '" + name
                    + "' (use letters, digits, '_', '.' and '-', starting with a letter or digit)");
            return null;
        }
        Node first = names.putIfAbsent(name, node);
        if (first != null) {
            findings.error(node, f.child("name"), "duplicate route name '" + name + "' (first used at line "
                    + findings.at(first).line() + ")");
            return null;
        }
        return name;
    }

    private PathPattern pattern(String template, Fields f) {
        if (template.equals(HEALTH)) {
            findings.error(f.get("path"), f.child("path"), "path " + HEALTH
                    + " is reserved for the gateway's health endpoint");
            return null;
        }
        try {
            return PathPattern.parse(template);
        } catch (IllegalArgumentException e) {
            findings.error(f.get("path"), f.child("path"), e.getMessage());
            return null;
        }
    }

    private List<String> methods(Node node, String path) {
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String m = reader.string(items.get(i), itemPath);
            if (m == null) {
                ok = false;
            } else if (!METHOD.matcher(m).matches()) {
                findings.error(items.get(i), itemPath, "invalid method '" + m + "' (expected letters only, such as GET)");
                ok = false;
            } else if (out.contains(m.toUpperCase(Locale.ROOT))) {
                findings.error(items.get(i), itemPath, "duplicate method " + m.toUpperCase(Locale.ROOT));
                ok = false;
            } else {
                out.add(m.toUpperCase(Locale.ROOT));
            }
        }
        return ok ? out : null;
    }

    private Optional<String> host(Node node, String path) {
        String host = reader.string(node, path);
        if (host == null) return null;
        String lower = host.toLowerCase(Locale.ROOT);
        if (!HOST.matcher(lower).matches()) {
            findings.error(node, path, "invalid host '" + host
                    + "' (expected a host name such as api.example.com, or *.example.com for its subdomains)");
            return null;
        }
        return Optional.of(lower);
    }

    private Map<String, String> headers(Node node, String path) {
        Fields f = reader.fields(node, path, null);
        if (f == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Node> seen = new HashMap<>();
        boolean ok = true;
        for (Fields.Entry e : f.entries()) {
            String name = e.key().toLowerCase(Locale.ROOT);
            String value = reader.string(e.value(), f.child(e.key()));
            Node first = seen.putIfAbsent(name, e.keyNode());
            if (!TOKEN.matcher(e.key()).matches()) {
                findings.error(e.keyNode(), path, "invalid header name '" + e.key() + "'");
                ok = false;
            } else if (first != null) {
                findings.error(e.keyNode(), path, "duplicate header '" + e.key() + "' (first at line "
                        + findings.at(first).line() + "; header names ignore case)");
                ok = false;
            }
            if (value != null && CONTROL.matcher(value).find()) {
                findings.error(e.value(), f.child(e.key()), "header value must not contain control characters");
                value = null;
            }
            if (value == null) ok = false;
            else out.put(name, value);
        }
        return ok ? out : null;
    }

    private String upstream(Fields f, RouteTemplates templates) {
        Node node = f.get("upstream");
        String path = f.child("upstream");
        String upstream = reader.string(node, path);
        if (upstream == null) return null;
        if (upstream.contains("://")) {
            return templates.checkInlineUpstream(node, path, upstream) ? upstream : null;
        }
        if (upstreams.containsKey(upstream)) {
            referenced.add(upstream);
            return upstream;
        }
        Set<String> known = new TreeSet<>(upstreams.keySet());
        String hint = known.isEmpty() ? "no upstreams are defined" : Suggestions.closest(upstream, known)
                .map(c -> "did you mean '" + c + "'? ").orElse("") + "known: " + String.join(", ", known);
        findings.error(node, path, "unknown upstream '" + upstream + "' (" + hint + ")");
        return null;
    }
}
