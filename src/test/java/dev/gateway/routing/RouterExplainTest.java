package dev.gateway.routing;

import static dev.gateway.routing.TestRoutes.route;
import static dev.gateway.routing.TestRoutes.router;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RouterExplainTest {

    @Test
    void explainsEveryRouteInPrecedenceOrder() {
        Router<String> r = router(route("rest", "ANY /users/**"), route("get", "GET /users/{id}"),
                route("me", "ANY /users/me", "admin.example.com"), route("beta", "GET /users/{id}", null,
                        Map.of("x-env", "beta")), route("other", "ANY /orders"), route("any", "ANY /users/{id}"));
        List<Candidate<String>> c = r.explain("POST", "www.example.com", "/users/me", name -> null);
        assertThat(c).extracting(Candidate::value).containsExactly("other", "me", "beta", "get", "any", "rest");
        assertThat(c).extracting(Candidate::reason).containsExactly(
                "path does not match",
                "host 'admin.example.com' required",
                "header x-env must be 'beta'",
                "method POST not in [GET]",
                "serves the request",
                "a more specific route wins: 'any'");
        Candidate<String> winner = c.get(4);
        assertThat(winner.winner()).isTrue();
        assertThat(winner.index()).isEqualTo(5);
        assertThat(winner.variables()).isEqualTo(Map.of("id", "me"));
        assertThat(c.get(5).rest()).isEqualTo("me");
        assertThat(c.get(0).pathMatched()).isFalse();
        assertThat(c).filteredOn(Candidate::winner).hasSize(1);
    }

    @Test
    void explainAgreesWithMatchOnManyRequests() {
        List<String> templates = List.of("/", "/**", "/a", "/a/**", "/a/b", "/a/{x}", "/a/{x}/**", "/{x}/b",
                "/{x}/{y}", "/{x}/b/**", "/a/b/c", "/a/{x}/c", "/{x}/{y}/c/**", "/b/**", "/b/{x}");
        List<String> methodSets = List.of("ANY", "GET", "POST", "GET,POST", "PUT,DELETE");
        List<String> hosts = java.util.Arrays.asList(null, "a.example.com", "*.example.com");
        List<Map<String, String>> headers = List.of(Map.of(), Map.of("x-a", "1"));
        List<String> paths = List.of("/", "//", "/a", "/a/", "/a/b", "/a/c", "/b", "/b/b", "/a/b/c", "/x/b/c",
                "/a/x/c", "/x/y/c/d", "/a//c", "/q", "/a/b/c/d/e", "/b/");
        List<String> methods = List.of("GET", "POST", "PUT", "PATCH");
        List<String> requestHosts = java.util.Arrays.asList(null, "a.example.com:8080", "b.example.com", "other.org");
        Random random = new Random(42);
        for (int table = 0; table < 200; table++) {
            Router.Builder<String> b = Router.builder();
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                RouteSpec spec = route("r" + i, pick(random, methodSets) + " " + pick(random, templates),
                        pick(random, hosts), pick(random, headers));
                b.add(spec, spec.name());
            }
            Router<String> r = b.build();
            for (int q = 0; q < 60; q++) {
                String method = pick(random, methods);
                String host = pick(random, requestHosts);
                String path = pick(random, paths);
                Map<String, String> h = pick(random, headers);
                assertAgree(r, method, host, path, h);
            }
        }
    }

    private static void assertAgree(Router<String> r, String method, String host, String path, Map<String, String> h) {
        RouteMatch<String> match = r.match(method, host, path, h::get);
        List<Candidate<String>> explained = r.explain(method, host, path, h::get);
        List<Candidate<String>> winners = new ArrayList<>(explained.stream().filter(Candidate::winner).toList());
        java.util.function.Supplier<String> request = () -> method + " " + host + " " + path + " " + h + " in " + r.routes();
        if (match instanceof RouteMatch.Found<String> f) {
            assertThat(winners).as(request).hasSize(1);
            Candidate<String> w = winners.getFirst();
            assertThat(w.value()).as(request).isEqualTo(f.value());
            assertThat(w.variables()).as(request).isEqualTo(f.variables());
            assertThat(w.rest()).as(request).isEqualTo(f.rest());
        } else {
            assertThat(winners).as(request).isEmpty();
            boolean methodOnly = explained.stream().anyMatch(c -> c.reason().startsWith("method "));
            assertThat(match instanceof RouteMatch.MethodNotAllowed).as(request).isEqualTo(methodOnly);
        }
    }

    private static <E> E pick(Random random, List<E> from) {
        return from.get(random.nextInt(from.size()));
    }
}
