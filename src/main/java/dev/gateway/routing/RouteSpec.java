package dev.gateway.routing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one route matches: a path template, a method set (empty means any), an optional host (exact, or
 * {@code *.example.com}, case-insensitive, port ignored) and headers (lower-case name to exact value).
 */
public record RouteSpec(String name, PathPattern path, Set<String> methods, Optional<String> host,
                        Map<String, String> headers) {
    public RouteSpec {
        methods = Set.copyOf(methods);
        headers = Map.copyOf(headers);
    }
}
