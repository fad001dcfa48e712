package dev.gateway.routing;

import static dev.gateway.routing.TestRoutes.NO_HEADERS;
import static dev.gateway.routing.TestRoutes.route;
import static dev.gateway.routing.TestRoutes.router;
import static dev.gateway.routing.TestRoutes.serve;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterMatchTest {

    @Test
    void literalBeatsVariableBeatsRestWhateverTheInsertionOrder() {
        List<RouteSpec> specs = new ArrayList<>(List.of(
                route("rest", "ANY /users/**"),
                route("var", "ANY /users/{id}"),
                route("literal", "ANY /users/me"),
                route("deep", "ANY /users/{id}/orders"),
                route("deepLiteral", "ANY /users/me/orders")));
        for (int shuffle = 0; shuffle < 20; shuffle++) {
            Collections.shuffle(specs, new java.util.Random(shuffle));
            Router<String> r = router(specs.toArray(RouteSpec[]::new));
            assertThat(serve(r, "GET", "/users/me")).isEqualTo("literal");
            assertThat(serve(r, "GET", "/users/5")).isEqualTo("var");
            assertThat(serve(r, "GET", "/users/5/x")).isEqualTo("rest");
            assertThat(serve(r, "GET", "/users/me/orders")).isEqualTo("deepLiteral");
            assertThat(serve(r, "GET", "/users/5/orders")).isEqualTo("deep");
            assertThat(serve(r, "GET", "/users")).isEqualTo("rest");
        }
    }

    @Test
    void comparesSegmentBySegmentFromTheLeft() {
        Router<String> r = router(route("varThenLiteral", "ANY /{a}/b"), route("literalThenVar", "ANY /a/{b}"));
        assertThat(serve(r, "GET", "/a/b")).isEqualTo("literalThenVar");
        assertThat(serve(r, "GET", "/x/b")).isEqualTo("varThenLiteral");
    }

    @Test
    void backtracksWhenTheSpecificBranchHasNoRoute() {
        Router<String> r = router(route("lit", "ANY /a/b/c"), route("var", "ANY /a/{x}/d"));
        assertThat(serve(r, "GET", "/a/b/d")).isEqualTo("var");
        assertThat(serve(r, "GET", "/a/b/c")).isEqualTo("lit");
        assertThat(serve(r, "GET", "/a/b/e")).isEqualTo("404");
    }

    @Test
    void restMatchesZeroOrMoreSegments() {
        Router<String> r = router(route("api", "ANY /api/**"));
        assertThat(found(r, "/api").rest()).isEmpty();
        assertThat(found(r, "/api/").rest()).isEmpty();
        assertThat(found(r, "/api/x").rest()).isEqualTo("x");
        assertThat(found(r, "/api/x/y/").rest()).isEqualTo("x/y/");
        assertThat(found(r, "/api//x").rest()).isEqualTo("/x");
        assertThat(serve(r, "GET", "/apix")).isEqualTo("404");
        assertThat(serve(r, "GET", "/")).isEqualTo("404");
        Router<String> all = router(route("all", "ANY /**"));
        assertThat(found(all, "/").rest()).isEmpty();
        assertThat(found(all, "/a/b").rest()).isEqualTo("a/b");
    }

    @Test
    void variablesHoldTheRawSegment() {
        Router<String> r = router(route("v", "GET /t/{tenant}/u/{id}/**"), route("plain", "GET /t/{x}"));
        RouteMatch.Found<String> f = found(r, "/t/acme/u/a%2Fb/c/d");
        assertThat(f.variables()).isEqualTo(Map.of("tenant", "acme", "id", "a%2Fb"));
        assertThat(f.rest()).isEqualTo("c/d");
        assertThat(f.spec().name()).isEqualTo("v");
        RouteMatch.Found<String> plain = found(r, "/t/z");
        assertThat(plain.variables()).isEqualTo(Map.of("x", "z"));
        assertThat(plain.rest()).isEmpty();
    }

    @Test
    void variablesNeedANonEmptySegmentAndTrailingSlashesCount() {
        Router<String> r = router(route("v", "ANY /u/{id}"), route("root", "ANY /"));
        assertThat(serve(r, "GET", "/u/")).isEqualTo("404");
        assertThat(serve(r, "GET", "/u/1/")).isEqualTo("404");
        assertThat(serve(r, "GET", "/u")).isEqualTo("404");
        assertThat(serve(r, "GET", "/")).isEqualTo("root");
        assertThat(serve(r, "GET", "//")).isEqualTo("404");
    }

    @Test
    void methodMismatchBacktracksToALessSpecificRoute() {
        Router<String> r = router(route("get", "GET /users/{id}"), route("any", "ANY /users/**"));
        assertThat(serve(r, "POST", "/users/5")).isEqualTo("any");
        assertThat(serve(r, "GET", "/users/5")).isEqualTo("get");
    }

    @Test
    void answers405WithTheUnionOfMethodsOfRoutesThatMatchedEverythingElse() {
        Router<String> r = router(route("get", "GET /users/{id}"), route("put", "PUT,PATCH /users/{id}"),
                route("del", "DELETE /users/**"), route("other", "POST /users/{id}", "other.example.com"),
                route("hdr", "OPTIONS /users/{id}", null, Map.of("x-admin", "1")));
        assertThat(serve(r, "POST", "/users/5")).isEqualTo("405 [DELETE, GET, PATCH, PUT]");
        assertThat(serve(r, "get", "/users/5")).isEqualTo("405 [DELETE, GET, PATCH, PUT]");
        assertThat(serve(r, "POST", "/nothing")).isEqualTo("404");
    }

    @Test
    void hostsExactBeforeWildcardBeforeNone() {
        Router<String> r = router(route("none", "ANY /x"), route("wild", "ANY /x", "*.example.com"),
                route("deepWild", "ANY /x", "*.eu.example.com"), route("exact", "ANY /x", "API.example.com"));
        Map<String, String> h = Map.of();
        assertThat(serve(r, "GET", "api.example.com", "/x", h)).isEqualTo("exact");
        assertThat(serve(r, "GET", "Api.Example.Com:8443", "/x", h)).isEqualTo("exact");
        assertThat(serve(r, "GET", "api.example.com.", "/x", h)).isEqualTo("exact");
        assertThat(serve(r, "GET", "a.example.com", "/x", h)).isEqualTo("wild");
        assertThat(serve(r, "GET", "a.b.example.com", "/x", h)).isEqualTo("wild");
        assertThat(serve(r, "GET", "fr.eu.example.com", "/x", h)).isEqualTo("deepWild");
        assertThat(serve(r, "GET", "example.com", "/x", h)).isEqualTo("none");
        assertThat(serve(r, "GET", "badexample.com", "/x", h)).isEqualTo("none");
        assertThat(serve(r, "GET", null, "/x", h)).isEqualTo("none");
    }

    @Test
    void hostConstraintsAloneGive404ForOtherHosts() {
        Router<String> r = router(route("exact", "ANY /x", "example.com"), route("v6", "ANY /y", "[::1]"));
        Map<String, String> h = Map.of();
        assertThat(serve(r, "GET", "example.com:80", "/x", h)).isEqualTo("exact");
        assertThat(serve(r, "GET", "other.com", "/x", h)).isEqualTo("404");
        assertThat(serve(r, "GET", null, "/x", h)).isEqualTo("404");
        assertThat(serve(r, "GET", "[::1]:8080", "/y", h)).isEqualTo("v6");
        assertThat(serve(r, "GET", "[::1]", "/y", h)).isEqualTo("v6");
        assertThat(serve(r, "GET", "[::2]:8080", "/y", h)).isEqualTo("404");
    }

    @Test
    void headerConstraintsMustMatchExactlyAndMoreConstraintsComeFirst() {
        Router<String> r = router(route("plain", "ANY /x"),
                route("beta", "ANY /x", null, Map.of("x-env", "beta")),
                route("betaEu", "ANY /x", null, Map.of("x-env", "beta", "x-region", "eu")));
        Map<String, String> none = Map.of();
        assertThat(serve(r, "GET", null, "/x", none)).isEqualTo("plain");
        assertThat(serve(r, "GET", null, "/x", Map.of("x-env", "beta"))).isEqualTo("beta");
        assertThat(serve(r, "GET", null, "/x", Map.of("x-env", "Beta"))).isEqualTo("plain");
        assertThat(serve(r, "GET", null, "/x", Map.of("x-env", "beta", "x-region", "eu"))).isEqualTo("betaEu");
        assertThat(serve(r, "GET", null, "/x", Map.of("x-env", "beta", "x-region", "us"))).isEqualTo("beta");
    }

    @Test
    void explicitMethodsBeforeAnyAndSmallerSetsFirst() {
        Router<String> r = router(route("any", "ANY /x"), route("wide", "GET,POST,PUT /x"), route("get", "GET /x"));
        assertThat(serve(r, "GET", "/x")).isEqualTo("get");
        assertThat(serve(r, "POST", "/x")).isEqualTo("wide");
        assertThat(serve(r, "DELETE", "/x")).isEqualTo("any");
    }

    @Test
    void hostRanksAboveHeadersAboveMethodsWithinANode() {
        Router<String> r = router(route("get", "GET /x"), route("hdr", "ANY /x", null, Map.of("x-a", "1")),
                route("host", "ANY /x", "h.example"));
        assertThat(serve(r, "GET", "h.example", "/x", Map.of("x-a", "1"))).isEqualTo("host");
        assertThat(serve(r, "GET", null, "/x", Map.of("x-a", "1"))).isEqualTo("hdr");
        assertThat(serve(r, "GET", null, "/x", Map.of())).isEqualTo("get");
    }

    @Test
    void aLiteralRouteForAnotherHostDoesNotHideTheVariableRoute() {
        Router<String> r = router(route("me", "ANY /users/me", "admin.example.com"), route("var", "ANY /users/{id}"));
        assertThat(serve(r, "GET", "www.example.com", "/users/me", Map.of())).isEqualTo("var");
        assertThat(serve(r, "GET", "admin.example.com", "/users/me", Map.of())).isEqualTo("me");
    }

    @Test
    void emptyRouterAndOddPaths() {
        Router<String> empty = TestRoutes.router();
        assertThat(serve(empty, "GET", "/")).isEqualTo("404");
        Router<String> r = router(route("all", "ANY /**"));
        assertThat(serve(r, "GET", "")).isEqualTo("404");
        assertThat(serve(r, "GET", "relative")).isEqualTo("404");
    }

    private static RouteMatch.Found<String> found(Router<String> r, String path) {
        RouteMatch<String> m = r.match("GET", null, path, NO_HEADERS);
        assertThat(m).isInstanceOf(RouteMatch.Found.class);
        return (RouteMatch.Found<String>) m;
    }
}
