package dev.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds route pairs that tie (errors) and routes that cannot win (warnings). Only routes of the same
 * shape, host and headers are compared, plus one simple {@code **} shadowing rule; no general coverage proof.
 */
final class RouteAnalyzer {
    /** Routes that are compared with each other: same path shape, host and headers. */
    private record Group(String shape, HostPattern host, Map<String, String> headers) {
    }

    private final Map<Group, List<RouteEntry<?>>> groups = new HashMap<>();

    private RouteAnalyzer(List<? extends RouteEntry<?>> routes) {
        for (RouteEntry<?> r : routes) {
            groups.computeIfAbsent(group(r, r.spec().path().shape()), g -> new ArrayList<>()).add(r);
        }
    }

    static List<RouteFinding> analyze(List<? extends RouteEntry<?>> routes) {
        RouteAnalyzer analyzer = new RouteAnalyzer(routes);
        List<RouteFinding> findings = new ArrayList<>();
        for (RouteEntry<?> r : routes) {
            analyzer.ties(r, findings);
            analyzer.coveredByMethods(r, findings);
            analyzer.shadowedRest(r, findings);
        }
        return List.copyOf(findings);
    }

    private static Group group(RouteEntry<?> r, String shape) {
        return new Group(shape, r.host(), r.spec().headers());
    }

    private List<RouteEntry<?>> peers(RouteEntry<?> r, String shape) {
        return groups.getOrDefault(group(r, shape), List.of());
    }

    /** Same requests and no rule to order them but insertion order: an error. */
    private void ties(RouteEntry<?> r, List<RouteFinding> out) {
        for (RouteEntry<?> o : peers(r, r.spec().path().shape())) {
            if (o.index() < r.index() && tie(o, r)) {
                out.add(new RouteFinding(true, r.index(), o.index(),
                        "matches the same requests as route '" + o.name() + "' (" + o.describe() + ")"));
            }
        }
    }

    private static boolean tie(RouteEntry<?> a, RouteEntry<?> b) {
        Set<String> x = a.spec().methods();
        Set<String> y = b.spec().methods();
        if (x.isEmpty() || y.isEmpty()) {
            return x.isEmpty() && y.isEmpty();
        }
        return x.size() == y.size() && x.stream().anyMatch(y::contains);
    }

    /** Every method of an explicit set is taken by smaller sets on the same shape, host and headers. */
    private void coveredByMethods(RouteEntry<?> r, List<RouteFinding> out) {
        Set<String> methods = r.spec().methods();
        if (methods.isEmpty()) {
            return;
        }
        Set<String> left = new HashSet<>(methods);
        List<RouteEntry<?>> winners = new ArrayList<>();
        for (RouteEntry<?> o : peers(r, r.spec().path().shape())) {
            Set<String> theirs = o.spec().methods();
            if (!theirs.isEmpty() && theirs.size() < methods.size() && theirs.stream().anyMatch(methods::contains)) {
                left.removeAll(theirs);
                winners.add(o);
            }
        }
        if (left.isEmpty()) {
            out.add(neverWins(r, winners, ""));
        }
    }

    /**
     * {@code P/**} loses {@code P} to a route of shape P and {@code P/x...} to one of shape {@code P/{}/**};
     * only paths with an empty segment right after P (like "P/") are still its own.
     */
    private void shadowedRest(RouteEntry<?> r, List<RouteFinding> out) {
        PathPattern path = r.spec().path();
        if (!path.hasRest()) {
            return;
        }
        String shape = path.shape();
        String base = shape.equals("/**") ? "/" : shape.substring(0, shape.length() - 3);
        String deeper = (base.equals("/") ? "" : base) + "/{}/**";
        RouteEntry<?> exact = covering(r, peers(r, base));
        RouteEntry<?> deep = covering(r, peers(r, deeper));
        if (exact != null && deep != null) {
            String prefix = path.template().substring(0, path.template().length() - 3);
            String except = prefix.isEmpty() ? " except for paths starting with '//'"
                    : " except for '" + prefix + "/' and paths with an empty segment after it";
            out.add(neverWins(r, List.of(exact, deep), except));
        }
    }

    private static RouteEntry<?> covering(RouteEntry<?> r, List<RouteEntry<?>> candidates) {
        for (RouteEntry<?> o : candidates) {
            Set<String> theirs = o.spec().methods();
            if (theirs.isEmpty() || (!r.anyMethod() && theirs.containsAll(r.spec().methods()))) {
                return o;
            }
        }
        return null;
    }

    private static RouteFinding neverWins(RouteEntry<?> r, List<RouteEntry<?>> winners, String except) {
        List<String> names = winners.stream().map(w -> "'" + w.name() + "'").toList();
        String to = names.size() == 1 ? "route " + names.getFirst()
                : "routes " + String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
        String every = except.isEmpty() ? "every request" : "every other request";
        return new RouteFinding(false, r.index(), winners.getFirst().index(),
                "can never win" + except + ": " + every + " it matches goes to " + to);
    }
}
