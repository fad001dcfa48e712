package dev.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.TlsConfig;
import dev.gateway.observe.RouteTable;
import dev.gateway.proxy.PathRewrite;
import dev.gateway.routing.Candidate;
import dev.gateway.routing.InvalidPathException;
import dev.gateway.routing.PathNormalizer;
import dev.gateway.routing.Router;
import dev.gateway.runtime.CompiledRoute;
import dev.gateway.runtime.RuntimeSnapshot;
import dev.gateway.tls.ServerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gateway routes}: prints the route table, or explains which route would serve a request and why. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = "Print the route table, or with --match say which route would serve a request, and why.",
        footer = {"", "Examples:", "  gateway routes --config gateway.yaml",
                "  gateway routes --config gateway.yaml --match \"GET /api/v1/users/me\"",
                "  gateway routes -c gateway.yaml --match \"POST /apps/shop/cart\" --host shop.example.com "
                        + "--header X-Tenant=acme"})
final class RoutesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config;

    @Mixin
    RequestOptions request;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        RuntimeSnapshot snapshot;
        try {
            snapshot = config.build();
            loaded = snapshot.loaded();
        } catch (ConfigException e) {
            for (ConfigError f : e.findings()) err.println(f);
            return 1;
        }
        try {
            Map<String, RouteConfig> byName = loaded.config().routes().stream()
                    .collect(Collectors.toMap(RouteConfig::name, r -> r));
            if (!request.given()) {
                table(out, loaded);
                certificates(out, loaded);
                return 0;
            }
            return explain(out, loaded, snapshot.router(), byName);
        } finally {
            snapshot.close();
        }
    }

    private void table(PrintWriter out, LoadedConfig loaded) {
        List<String[]> rows = new ArrayList<>();
        rows.add(RouteTable.HEADER.toArray(String[]::new));
        for (RouteTable.Row row : RouteTable.rows(loaded)) rows.add(row.columns().toArray(String[]::new));
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(c == row.length - 1 ? row[c] : String.format("%-" + (width[c] + 2) + "s", row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Which certificate serves which names, and when each expires (the files as they are now). */
    private static void certificates(PrintWriter out, LoadedConfig loaded) {
        if (loaded.config().listen().tls().isEmpty()) return;
        out.println();
        out.println("TLS certificates (chosen by SNI; the first is the default):");
        for (TlsConfig.CertificateFiles pair : loaded.config().listen().tls().get().certificates()) {
            try {
                ServerIdentity id = ServerIdentity.read(pair.cert(), pair.key());
                out.println("  " + pair.cert() + ": " + String.join(", ", id.names()) + " (" + id.subject()
                        + "), expires " + id.notAfter());
            } catch (ServerIdentity.UnusableFile e) {
                out.println("  " + pair.cert() + ": unusable now: " + e.getMessage());
            }
        }
    }

    private int explain(PrintWriter out, LoadedConfig loaded, Router<CompiledRoute> router,
                        Map<String, RouteConfig> byName) {
        RequestOptions.Request given = request.request(spec.commandLine());
        String method = given.method();
        String rawPath = given.rawPath();
        String query = given.query();
        String host = given.host();
        String path;
        try {
            path = PathNormalizer.normalize(rawPath);
        } catch (InvalidPathException e) {
            out.println(method + " " + rawPath + ": 400 Bad Request: " + e.getMessage());
            return 1;
        }
        List<Candidate<CompiledRoute>> candidates = router.explain(method, host, path, given.lowerHeaders()::get);
        Candidate<CompiledRoute> winner = candidates.stream().filter(Candidate::winner).findFirst().orElse(null);
        out.println("request: " + method + " " + path + query + (host == null ? "" : " (host " + host + ")"));
        if (winner == null) {
            boolean methodOnly = candidates.stream().anyMatch(c -> c.reason().startsWith("method "));
            out.println(methodOnly ? "answer:  405 Method Not Allowed (a route matches the path but not the method)"
                    : "answer:  404 Not Found (no route matches)");
        } else {
            RouteConfig r = byName.get(winner.spec().name());
            String upstreamPath = PathRewrite.of(r.rewrite(), r.stripPrefix())
                    .apply(path, winner.variables(), winner.rest());
            out.println("route:   " + r.name() + " (" + loaded.locate("routes[" + winner.index() + "]") + ")");
            if (!winner.variables().isEmpty()) out.println("vars:    " + winner.variables());
            out.println("auth:    " + RouteTable.authText(r.auth())
                    + (r.auth().isPublic() ? "" : " (check a token with `gateway token-test`)"));
            out.println("sends:   " + method + " " + upstreamPath + query + " to "
                    + RouteTable.upstreamText(loaded, r));
        }
        out.println();
        out.println("candidates, most specific first:");
        for (Candidate<CompiledRoute> c : candidates) {
            out.println("  " + (c.winner() ? "* " : "  ") + String.format("%-20s %-32s %s", c.spec().name(),
                    c.spec().path().template(), c.reason()));
        }
        return winner == null ? 1 : 0;
    }
}
