package dev.gateway.routing;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Compact route and request notation for tests: {@code "GET,POST /users/{id}"}, {@code "ANY /**"}. */
final class TestRoutes {
    static final Function<String, String> NO_HEADERS = name -> null;

    private TestRoutes() {
    }

    static RouteSpec route(String name, String methodsAndPath) {
        return route(name, methodsAndPath, null, Map.of());
    }

    static RouteSpec route(String name, String methodsAndPath, String host) {
        return route(name, methodsAndPath, host, Map.of());
    }

    static RouteSpec route(String name, String methodsAndPath, String host, Map<String, String> headers) {
        String[] parts = methodsAndPath.split(" ", 2);
        Set<String> methods = parts[0].equals("ANY") ? Set.of() : Set.copyOf(Arrays.asList(parts[0].split(",")));
        return new RouteSpec(name, PathPattern.parse(parts[1]), methods, Optional.ofNullable(host), headers);
    }

    /** A router whose value for each route is its name. */
    static Router<String> router(RouteSpec... specs) {
        Router.Builder<String> builder = Router.builder();
        for (RouteSpec spec : specs) {
            builder.add(spec, spec.name());
        }
        return builder.build();
    }

    /** The name of the winning route, "404", or "405 [allowed]". */
    static String outcome(RouteMatch<String> match) {
        return switch (match) {
            case RouteMatch.Found<String> f -> f.value();
            case RouteMatch.NotFound<String> n -> "404";
            case RouteMatch.MethodNotAllowed<String> m -> "405 " + m.allowed();
        };
    }

    static String serve(Router<String> router, String method, String path) {
        return outcome(router.match(method, null, path, NO_HEADERS));
    }

    static String serve(Router<String> router, String method, String host, String path, Map<String, String> headers) {
        return outcome(router.match(method, host, path, headers::get));
    }
}
