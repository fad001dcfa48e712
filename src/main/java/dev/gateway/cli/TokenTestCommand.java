package dev.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gateway.auth.AuthDecision;
import dev.gateway.auth.TokenVerifier;
import dev.gateway.auth.Verification;
import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.routing.InvalidPathException;
import dev.gateway.routing.PathNormalizer;
import dev.gateway.routing.RouteMatch;
import dev.gateway.runtime.CompiledRoute;
import dev.gateway.runtime.RuntimeSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gateway token-test}: verifies a token exactly as serve would (same verifier, same keys, JWKS fetched) and
 * says which key verified it or why none did, its claims and expiry, and for each route whether it would be let
 * through and why not. Exit 0 when the token is valid (or, with --route/--match, accepted there), 1 when not.
 */
@Command(name = "token-test", mixinStandardHelpOptions = true,
        description = "Verify a bearer token as serve would, and say which routes would accept it.",
        footer = {"", "Exit codes: 0 valid (with --route/--match: accepted there), 1 not, 2 usage error.", "",
                "Examples:", "  gateway token-test --config gateway.yaml --token eyJhbGciOi...",
                "  gateway token-test --config gateway.yaml --token @token.txt --route admin",
                "  gateway token-sign --sub alice | gateway token-test --token - --match \"GET /api/v1/users/me\""})
final class TokenTestCommand implements Callable<Integer> {
    /** How long to wait for each JWKS to answer before judging the token without its keys. */
    static final Duration KEYS_WAIT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--token", required = true, paramLabel = "JWT|@FILE|-",
            description = "The token, @FILE to read it from a file, or - to read it from standard input.")
    String token;

    @Option(names = "--route", description = "Only judge the token for this route.")
    String route;

    @Mixin
    RequestOptions request;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (route != null && request.given()) {
            throw new ParameterException(spec.commandLine(), "--route and --match cannot be used together");
        }
        RequestOptions.Request given = request.given() ? request.request(spec.commandLine()) : null;
        String jwt;
        try {
            jwt = TokenInput.read(token, System.in);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--token: cannot read " + token + ": " + TokenInput.why(e));
        }
        if (jwt.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--token " + token + ": no token given"
                    + (token.equals("-") ? " on standard input" : ""));
        }
        RuntimeSnapshot snapshot;
        try {
            snapshot = config.build();
        } catch (ConfigException e) {
            for (ConfigError f : e.findings()) err.println(f);
            return 1;
        }
        try {
            if (snapshot.verifier().isEmpty()) {
                err.println(config + ": no jwt section: every route is public and no token is checked");
                return 1;
            }
            TokenVerifier verifier = snapshot.verifier().get();
            if (route != null && snapshot.routes().stream().noneMatch(r -> r.name().equals(route))) {
                throw new ParameterException(spec.commandLine(), "--route: no route named '" + route + "' (routes: "
                        + String.join(", ", snapshot.routes().stream().map(CompiledRoute::name).toList()) + ")");
            }
            verifier.start(); // the JWKS only: token-test needs no rate-limit store
            if (!verifier.awaitKeys(KEYS_WAIT)) {
                err.println("warning: a JWKS did not answer within " + KEYS_WAIT.toSeconds() + "s; judging without its keys");
            }
            Verification verification = verifier.verify(jwt);
            boolean valid = report(out, verifier, verification);
            List<CompiledRoute> routes = selected(out, snapshot, given);
            if (routes == null) return 1;
            out.println();
            out.println(routes.size() == 1 ? "route:" : "routes:");
            int width = routes.stream().mapToInt(r -> r.name().length()).max().orElse(0);
            boolean allAccepted = true;
            for (CompiledRoute r : routes) {
                AuthDecision decision = r.auth().decide(List.of("Bearer " + jwt));
                allAccepted &= decision instanceof AuthDecision.Allowed;
                out.println("  " + String.format("%-" + width + "s", r.name()) + "  " + describe(r, decision));
            }
            return (route == null && !request.given() ? valid : allAccepted) ? 0 : 1;
        } finally {
            snapshot.close();
        }
    }

    private static boolean report(PrintWriter out, TokenVerifier verifier, Verification verification) {
        switch (verification) {
            case Verification.Invalid invalid -> {
                out.println("token:    INVALID: " + invalid.description());
                out.println("keys:");
                verifier.describeKeys().forEach(k -> out.println("  " + k));
                return false;
            }
            case Verification.Valid valid -> {
                out.println("token:    valid");
                out.println("verified: by " + valid.verifiedBy());
                out.println("expires:  " + valid.expiry(Instant.now()));
                out.println("claims:");
                valid.describeClaims().forEach(line -> out.println("  " + line));
                return true;
            }
        }
    }

    /** The routes to judge, or null (after saying why) when --route or --match names none. */
    private List<CompiledRoute> selected(PrintWriter out, RuntimeSnapshot snapshot, RequestOptions.Request given) {
        List<CompiledRoute> all = snapshot.routes();
        if (route != null) return all.stream().filter(r -> r.name().equals(route)).toList(); // checked in call()
        if (given == null) return all;
        String method = given.method();
        String rawPath = given.rawPath();
        try {
            String path = PathNormalizer.normalize(rawPath);
            RouteMatch<CompiledRoute> m = snapshot.router().match(method, given.host(), path, given.lowerHeaders()::get);
            if (m instanceof RouteMatch.Found<CompiledRoute> found) return List.of(found.value());
            out.println();
            out.println(method + " " + rawPath + ": " + (m instanceof RouteMatch.MethodNotAllowed<CompiledRoute>
                    ? "405 Method Not Allowed" : "404 Not Found") + " before any token check (see `gateway routes --match`)");
        } catch (InvalidPathException e) {
            out.println();
            out.println(method + " " + rawPath + ": 400 Bad Request: " + e.getMessage());
        }
        return null;
    }

    private static String describe(CompiledRoute r, AuthDecision decision) {
        return switch (decision) {
            case AuthDecision.Allowed allowed when r.auth().isPublic() -> "accepted (auth: public, no token needed)";
            case AuthDecision.Allowed allowed -> "accepted" + (allowed.identityHeaders().isEmpty() ? "" : "; sends "
                    + String.join(", ", allowed.identityHeaders().stream().map(h -> h.getKey() + ": " + h.getValue())
                    .toList()));
            case AuthDecision.Denied denied -> "REFUSED: " + denied.status() + " " + denied.detail();
        };
    }
}
