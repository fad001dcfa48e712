package dev.gateway.routing;

/** Turns a raw request path into the canonical form routes match against. STUB: to be implemented. */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * Decodes percent-encoded unreserved characters, resolves dot segments (also encoded ones) and collapses
     * nothing else; throws {@link InvalidPathException} when the path climbs above the root or is malformed.
     */
    public static String normalize(String rawPath) throws InvalidPathException {
        throw new UnsupportedOperationException("stub");
    }
}
