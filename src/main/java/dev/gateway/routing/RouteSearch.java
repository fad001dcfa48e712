package dev.gateway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One request's depth-first walk of the trie: literal child, then variable child, then {@code **} routes,
 * backtracking until a route matches host, headers and method. Single use, confined to one thread.
 */
final class RouteSearch<T> {
    private final String path;
    private final String method;
    private final String host;
    private final int hostLength;
    private final Function<String, String> header;
    private final Set<String> preflightHeaders;
    private final int[] varStart;
    private final int[] varEnd;
    private TreeSet<String> allowed;
    private RouteEntry<T> winner;
    private int restAt;

    RouteSearch(String path, String method, String host, Function<String, String> header,
                Set<String> preflightHeaders, int maxVariables) {
        this.preflightHeaders = preflightHeaders;
        this.path = path;
        this.method = method;
        this.host = host;
        this.hostLength = host == null ? 0 : HostPattern.hostLength(host);
        this.header = header;
        this.varStart = new int[maxVariables];
        this.varEnd = new int[maxVariables];
    }

    RouteMatch<T> run(TrieNode<T> root) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return new RouteMatch.NotFound<>();
        }
        if (walk(root, path.length() == 1 ? 1 : 0, 0)) {
            return found();
        }
        return allowed == null ? new RouteMatch.NotFound<>()
                : new RouteMatch.MethodNotAllowed<>(Collections.unmodifiableSortedSet(allowed));
    }

    /** {@code pos} is at the slash before the next segment, or at the end of the path. */
    private boolean walk(TrieNode<T> node, int pos, int depth) {
        int n = path.length();
        if (pos == n) {
            if (pick(node.terminal())) {
                return true;
            }
        } else {
            int start = pos + 1;
            int end = path.indexOf('/', start);
            end = end < 0 ? n : end;
            TrieNode<T> literal = node.literal(path, start, end);
            if (literal != null && walk(literal, end, depth)) {
                return true;
            }
            TrieNode<T> variable = node.variable();
            if (variable != null && end > start) {
                varStart[depth] = start;
                varEnd[depth] = end;
                if (walk(variable, end, depth + 1)) {
                    return true;
                }
            }
        }
        restAt = pos;
        return pick(node.rest());
    }

    private boolean pick(List<RouteEntry<T>> routes) {
        for (int i = 0, size = routes.size(); i < size; i++) {
            RouteEntry<T> route = routes.get(i);
            if (!route.hostMatches(host, hostLength) || route.headerMismatch(header, preflightHeaders) >= 0) {
                continue;
            }
            if (route.methodMatches(method)) {
                winner = route;
                return true;
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.addAll(route.spec().methods());
        }
        return false;
    }

    private RouteMatch<T> found() {
        RouteSpec spec = winner.spec();
        List<String> names = spec.path().variables();
        Map<String, String> variables = Map.of();
        if (names.size() == 1) {
            variables = Map.of(names.getFirst(), path.substring(varStart[0], varEnd[0]));
        } else if (!names.isEmpty()) {
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                vars.put(names.get(i), path.substring(varStart[i], varEnd[i]));
            }
            variables = Collections.unmodifiableMap(vars);
        }
        String rest = spec.path().hasRest() && restAt < path.length() ? path.substring(restAt + 1) : "";
        return new RouteMatch.Found<>(spec, winner.value(), variables, rest);
    }
}
