package dev.gateway.routing;

import java.util.Map;
import java.util.Set;

/** The outcome of {@link Router#match}: a route with its path variables, no route (404), or no method (405). */
public sealed interface RouteMatch<T> {

    /**
     * A winning route. {@code variables} holds each {@code {name}} of the template with its (still
     * percent-encoded) segment; {@code rest} is what a trailing {@code **} matched, without a leading slash
     * ("" when it matched nothing or the template has no {@code **}).
     */
    record Found<T>(RouteSpec spec, T value, Map<String, String> variables, String rest) implements RouteMatch<T> {
    }

    /** No route's path, host and headers match. */
    record NotFound<T>() implements RouteMatch<T> {
    }

    /** Some route matches path, host and headers, but none the method; {@code allowed} feeds the Allow header. */
    record MethodNotAllowed<T>(Set<String> allowed) implements RouteMatch<T> {
    }
}
