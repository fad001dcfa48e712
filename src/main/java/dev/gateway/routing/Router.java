package dev.gateway.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An immutable route table answering which route serves a request. Paths are matched through a segment
 * trie, most specific first (literal, then {@code {var}}, then {@code **}, segment by segment, never
 * insertion order), backtracking to less specific routes when host, headers or method do not fit, so a
 * match costs about the same for 1,000 routes as for 10. Thread-safe.
 */
public final class Router<T> {
    private final List<RouteEntry<T>> routes;
    private final List<RouteSpec> specs;
    private final List<RouteEntry<T>> precedence;
    private final TrieNode<T> root;
    private final int maxVariables;

    private Router(List<RouteEntry<T>> routes) {
        this.routes = List.copyOf(routes);
        this.specs = this.routes.stream().map(RouteEntry::spec).toList();
        this.root = TrieNode.of(this.routes);
        List<RouteEntry<T>> ordered = new ArrayList<>(routes.size());
        root.collect(ordered);
        this.precedence = List.copyOf(ordered);
        this.maxVariables = routes.stream().mapToInt(r -> r.spec().path().variables().size()).max().orElse(0);
    }

    /** Collects routes; {@link #build()} makes the immutable router. Not thread-safe. */
    public static final class Builder<T> {
        private final List<RouteEntry<T>> routes = new ArrayList<>();

        /** Adds a route; throws IllegalArgumentException when its host is not a name or {@code *.name}. */
        public Builder<T> add(RouteSpec spec, T value) {
            routes.add(RouteEntry.of(routes.size(), spec, value));
            return this;
        }

        public Router<T> build() {
            return new Router<>(routes);
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The routes in insertion order (the indexes {@link RouteFinding} and {@link Candidate} refer to). */
    public List<RouteSpec> routes() {
        return specs;
    }

    /** Conflicts (errors) and routes that can never win (warnings), in route order. */
    public List<RouteFinding> analyze() {
        return RouteAnalyzer.analyze(routes);
    }

    /**
     * Matches a request. {@code normalizedPath} comes from {@link PathNormalizer}; {@code host} is the Host
     * header as sent (may carry a port, may be null); {@code header} looks up a request header by lower-case name.
     */
    public RouteMatch<T> match(String method, String host, String normalizedPath, Function<String, String> header) {
        return new RouteSearch<T>(normalizedPath, method, host, header, null, maxVariables).run(root);
    }

    /**
     * Matches a CORS preflight for {@code method} (its Access-Control-Request-Method): a preflight carries the
     * names of the headers the actual request will send ({@code requestHeaders}, lower case), never their values,
     * so a route's header constraint also counts as met when its header is among them.
     */
    public RouteMatch<T> matchPreflight(String method, String host, String normalizedPath,
                                        Function<String, String> header, Set<String> requestHeaders) {
        return new RouteSearch<T>(normalizedPath, method, host, header, requestHeaders, maxVariables).run(root);
    }

    /**
     * Every route in precedence order with whether its path matches and why it does or does not serve the
     * request; the one with {@code winner} set is what {@link #match} returns. Meant for tooling, not the
     * request path: it checks every route.
     */
    public List<Candidate<T>> explain(String method, String host, String normalizedPath,
                                      Function<String, String> header) {
        int hostLength = host == null ? 0 : HostPattern.hostLength(host);
        List<Candidate<T>> out = new ArrayList<>(precedence.size());
        RouteEntry<T> winner = null;
        for (RouteEntry<T> r : precedence) {
            Optional<Map<String, String>> path = r.spec().path().match(normalizedPath);
            Map<String, String> variables = new LinkedHashMap<>(path.orElse(Map.of()));
            String rest = variables.remove(PathPattern.REST_KEY);
            String reason = reason(r, path.isPresent(), method, host, hostLength, header, winner);
            boolean wins = reason == null;
            if (wins) {
                winner = r;
                reason = "serves the request";
            }
            out.add(new Candidate<>(r.index(), r.spec(), r.value(), path.isPresent(), variables,
                    rest == null ? "" : rest, wins, reason));
        }
        return List.copyOf(out);
    }

    private static String reason(RouteEntry<?> r, boolean pathMatched, String method, String host, int hostLength,
                                 Function<String, String> header, RouteEntry<?> winner) {
        if (!pathMatched) {
            return "path does not match";
        }
        if (!r.hostMatches(host, hostLength)) {
            return "host '" + r.host().display() + "' required";
        }
        int missing = r.headerMismatch(header, null);
        if (missing >= 0) {
            return "header " + r.headerNames()[missing] + " must be '" + r.headerValues()[missing] + "'";
        }
        if (!r.methodMatches(method)) {
            return "method " + method + " not in " + new TreeSet<>(r.spec().methods());
        }
        return winner == null ? null : "a more specific route wins: '" + winner.name() + "'";
    }
}
