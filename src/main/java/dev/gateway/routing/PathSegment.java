package dev.gateway.routing;

/**
 * One segment of a parsed template. {@code text} is the normalized literal, the variable name, or
 * {@code **} for the rest wildcard.
 */
record PathSegment(Kind kind, String text) {
    enum Kind { LITERAL, VARIABLE, REST }

    boolean isLiteral() {
        return kind == Kind.LITERAL;
    }

    /** The segment as it appears in a shape key: variables lose their names, since they match alike. */
    String shape() {
        return switch (kind) {
            case LITERAL -> text;
            case VARIABLE -> "{}";
            case REST -> "**";
        };
    }
}
