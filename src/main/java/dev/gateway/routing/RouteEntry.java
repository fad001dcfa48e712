package dev.gateway.routing;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** One route compiled for matching: its host, header and method checks, and its order within a trie node. */
record RouteEntry<T>(int index, RouteSpec spec, T value, HostPattern host, String[] headerNames,
                     String[] headerValues) {

    /** Within one path shape: exact host, wildcard (longer first), none; more headers; smaller method set. */
    static final Comparator<RouteEntry<?>> PRECEDENCE = Comparator
            .<RouteEntry<?>>comparingInt(RouteEntry::hostRank)
            .thenComparingInt(e -> e.host == null || !e.host.isWildcard() ? 0 : -e.host.suffix().length())
            .thenComparingInt(e -> -e.headerNames.length)
            .thenComparingInt(RouteEntry::methodRank)
            .thenComparingInt(RouteEntry::index);

    static <T> RouteEntry<T> of(int index, RouteSpec spec, T value) {
        HostPattern host = spec.host().map(HostPattern::parse).orElse(null);
        String[] names = new String[spec.headers().size()];
        String[] values = new String[names.length];
        int i = 0;
        for (Map.Entry<String, String> h : new TreeMap<>(spec.headers()).entrySet()) {
            names[i] = h.getKey().toLowerCase(Locale.ROOT);
            values[i++] = h.getValue();
        }
        return new RouteEntry<>(index, spec, value, host, names, values);
    }

    boolean hostMatches(String requestHost, int hostLength) {
        return host == null || host.matches(requestHost, hostLength);
    }

    /** The position of the first required header the request lacks or has with another value; -1 when none. */
    int headerMismatch(Function<String, String> header, Set<String> preflightHeaders) {
        for (int i = 0; i < headerNames.length; i++) {
            if (!headerValues[i].equals(header.apply(headerNames[i]))
                    && (preflightHeaders == null || !preflightHeaders.contains(headerNames[i]))) {
                return i;
            }
        }
        return -1;
    }

    boolean methodMatches(String method) {
        Set<String> methods = spec.methods();
        return methods.isEmpty() || (method != null && methods.contains(method));
    }

    boolean anyMethod() {
        return spec.methods().isEmpty();
    }

    String name() {
        return spec.name();
    }

    /** How the route reads in messages: "GET,POST /users/{id}", with "ANY" for every method and the host. */
    String describe() {
        String methods = anyMethod() ? "ANY" : String.join(",", new TreeSet<>(spec.methods()));
        return methods + " " + spec.path().template() + (host == null ? "" : " on " + host.display());
    }

    private int hostRank() {
        return host == null ? 2 : host.isWildcard() ? 1 : 0;
    }

    private int methodRank() {
        return anyMethod() ? Integer.MAX_VALUE : spec.methods().size();
    }
}
