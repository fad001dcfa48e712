package dev.gateway.routing;

import java.util.List;
import java.util.function.Function;

/** An immutable route table answering which route serves a request. STUB: to be implemented. */
public final class Router<T> {

    /** Collects routes; {@link #build()} makes the immutable router. Not thread-safe. */
    public static final class Builder<T> {
        public Builder<T> add(RouteSpec spec, T value) {
            throw new UnsupportedOperationException("stub");
        }

        public Router<T> build() {
            throw new UnsupportedOperationException("stub");
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Conflicts (errors) and routes that can never win (warnings), in route order. */
    public List<RouteFinding> analyze() {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Matches a request. {@code normalizedPath} comes from {@link PathNormalizer}; {@code host} is the Host
     * header as sent (may carry a port, may be null); {@code header} looks up a request header by lower-case name.
     */
    public RouteMatch<T> match(String method, String host, String normalizedPath, Function<String, String> header) {
        throw new UnsupportedOperationException("stub");
    }
}
