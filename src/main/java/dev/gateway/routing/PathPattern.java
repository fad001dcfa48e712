package dev.gateway.routing;

import java.util.List;

/**
 * A parsed path template: literal segments, {@code {var}} (exactly one segment) and an optional trailing
 * {@code **} (zero or more segments). Immutable and thread-safe. STUB: to be implemented.
 */
public final class PathPattern {
    /** Parses a template; throws IllegalArgumentException with a message fit for a config error. */
    public static PathPattern parse(String template) {
        throw new UnsupportedOperationException("stub");
    }

    /** The template as written. */
    public String template() {
        throw new UnsupportedOperationException("stub");
    }

    /** Variable names in order of appearance. */
    public List<String> variables() {
        throw new UnsupportedOperationException("stub");
    }

    /** True when the template ends in {@code **}. */
    public boolean hasRest() {
        throw new UnsupportedOperationException("stub");
    }
}
