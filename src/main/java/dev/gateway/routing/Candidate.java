package dev.gateway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One route as seen by {@link Router#explain}: whether its path matched (with the variables and rest it
 * would get), whether it serves the request, and a short reason ("serves the request", "path does not
 * match", "host 'api.example.com' required", "header x-env must be 'beta'", "method POST not in [GET]",
 * "a more specific route wins: 'users'"). Variables keep template order. Immutable.
 */
public record Candidate<T>(int index, RouteSpec spec, T value, boolean pathMatched, Map<String, String> variables,
                           String rest, boolean winner, String reason) {
    public Candidate {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }
}
