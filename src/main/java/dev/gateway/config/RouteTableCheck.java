package dev.gateway.config;

import java.util.ArrayList;
import java.util.List;

import dev.gateway.routing.RouteFinding;
import dev.gateway.routing.Router;

/**
 * Runs the router's own analysis over the bound routes, so conflicts (errors) and routes that can never win
 * (warnings) are reported with the other config findings, at the route's path.
 */
final class RouteTableCheck {
    private RouteTableCheck() {
    }

    static void check(List<RouteBinder.Bound> routes, Findings findings) {
        Router.Builder<Integer> builder = Router.builder();
        // Routes whose matching part is broken are left out, so insertion order maps back to route indexes.
        List<Integer> added = new ArrayList<>();
        for (RouteBinder.Bound r : routes) {
            if (r.spec() == null) continue;
            try {
                builder.add(r.spec(), r.index());
                added.add(r.index());
            } catch (IllegalArgumentException e) {
                // The binder checks hosts more strictly than the router; this keeps a mismatch a located error.
                String path = "routes[" + r.index() + "]";
                findings.error(findings.location(path), path, e.getMessage());
            }
        }
        if (added.isEmpty()) return;
        List<RouteFinding> result;
        try {
            result = builder.build().analyze();
        } catch (IllegalArgumentException e) {
            findings.error(findings.location("routes"), "routes", e.getMessage());
            return;
        }
        for (RouteFinding f : result) {
            int index = f.route() >= 0 && f.route() < added.size() ? added.get(f.route()) : 0;
            String path = "routes[" + index + "]";
            SourceLocation at = findings.location(path + ".path");
            if (f.error()) {
                findings.error(at, path, f.message());
            } else {
                findings.warn(at, path, f.message());
            }
        }
    }
}
