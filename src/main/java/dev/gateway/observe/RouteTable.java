package dev.gateway.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gateway.config.AuthConfig;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.UpstreamConfig;

/**
 * The effective route table as operators read it, one row per route in file order: what {@code gateway routes}
 * prints and {@code GET /admin/routes} returns. Immutable.
 */
public final class RouteTable {
    /** One route: each column as {@code gateway routes} prints it. */
    public record Row(String route, String methods, String host, String path, String auth, String rateLimit,
                      String upstream, String pathUpstream, String definedAt) {
        /** The columns in order, as the header names them. */
        public List<String> columns() {
            return List.of(route, methods, host, path, auth, rateLimit, upstream, pathUpstream, definedAt);
        }

        /** The row as a JSON-ready map with snake_case keys. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < HEADER.size(); i++) {
                out.put(HEADER.get(i).toLowerCase().replace(' ', '_'), columns().get(i));
            }
            return out;
        }
    }

    public static final List<String> HEADER = List.of("ROUTE", "METHODS", "HOST", "PATH", "AUTH", "RATE LIMIT",
            "UPSTREAM", "PATH UPSTREAM", "DEFINED AT");

    private RouteTable() {
    }

    public static List<Row> rows(LoadedConfig loaded) {
        List<Row> rows = new ArrayList<>();
        List<RouteConfig> routes = loaded.config().routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            rows.add(new Row(r.name(), r.methods().isEmpty() ? "*" : String.join(",", r.methods()),
                    r.host().orElse("*") + headerText(r), r.path(), authText(r.auth()),
                    r.rateLimits().isEmpty() ? "-" : String.join(",", r.rateLimits()), upstreamText(loaded, r),
                    pathUpstream(r), loaded.locate("routes[" + i + "]").toString()));
        }
        return rows;
    }

    /** {@code public}, {@code token}, or {@code token roles=admin|ops scopes=a:write}. */
    public static String authText(AuthConfig auth) {
        if (auth.isPublic()) return "public";
        String text = "token";
        if (!auth.roles().isEmpty()) text += " roles=" + String.join("|", auth.roles());
        if (!auth.scopes().isEmpty()) text += " scopes=" + String.join(",", auth.scopes());
        return text;
    }

    /** The upstream's name with its targets ({@code orders [http://a:8080,http://b:8080*2]}), or the URL template. */
    public static String upstreamText(LoadedConfig loaded, RouteConfig r) {
        if (r.inlineUpstream()) return r.upstream();
        UpstreamConfig u = loaded.config().upstreams().get(r.upstream());
        return r.upstream() + " " + u.targets().stream().map(t -> t.url() + (t.weight() == 1 ? "" : "*" + t.weight()))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String headerText(RouteConfig r) {
        if (r.headers().isEmpty()) return "";
        return " " + r.headers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "[", "]"));
    }

    private static String pathUpstream(RouteConfig r) {
        if (r.rewrite().isPresent()) return "rewrite " + r.rewrite().get();
        if (r.stripPrefix().isPresent()) return "strip " + r.stripPrefix().get();
        return "as is";
    }
}
