package dev.gateway.routing;

import static dev.gateway.routing.TestRoutes.route;
import static dev.gateway.routing.TestRoutes.router;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterAnalyzeTest {

    @Test
    void sameShapeHostHeadersAndTiedMethodsIsAnError() {
        Router<String> r = router(route("users", "GET /api/users/{id}"), route("other", "ANY /x"),
                route("dup", "GET /api/users/{name}"));
        assertThat(r.analyze()).containsExactly(new RouteFinding(true, 2, 0,
                "matches the same requests as route 'users' (GET /api/users/{id})"));
    }

    @Test
    void tiesCoverAnyAnyAndEqualSizedOverlappingSets() {
        assertThat(router(route("a", "ANY /x"), route("b", "ANY /x")).analyze())
                .containsExactly(new RouteFinding(true, 1, 0, "matches the same requests as route 'a' (ANY /x)"));
        assertThat(router(route("a", "GET,POST /x"), route("b", "PUT,GET /x")).analyze())
                .containsExactly(new RouteFinding(true, 1, 0,
                        "matches the same requests as route 'a' (GET,POST /x)"));
        assertThat(router(route("a", "ANY /x/**", "h.example.com"), route("b", "ANY /x/**", "H.example.com:443"))
                .analyze()).extracting(RouteFinding::error, RouteFinding::route, RouteFinding::other)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, 1, 0));
    }

    @Test
    void routesThatAreOrderedByARuleAreNoConflict() {
        Router<String> r = router(route("any", "ANY /x"), route("get", "GET /x"), route("getPost", "GET,DELETE,POST /x"),
                route("put", "PUT /x"), route("host", "GET /x", "a.example"), route("wild", "GET /x", "*.example"),
                route("hdr", "GET /x", null, Map.of("x-a", "1")), route("hdr2", "GET /x", null, Map.of("x-a", "2")),
                route("var", "GET /{v}"), route("rest", "GET /x/**"));
        assertThat(r.analyze()).isEmpty();
    }

    @Test
    void explicitSetCoveredBySmallerSetsCanNeverWin() {
        Router<String> r = router(route("get", "GET /x"), route("post", "POST /x"), route("both", "GET,POST /x"),
                route("three", "GET,POST,PUT /x"), route("elsewhere", "GET /x", "h.example"));
        assertThat(r.analyze()).containsExactly(new RouteFinding(false, 2, 0,
                "can never win: every request it matches goes to routes 'get' and 'post'"));
    }

    @Test
    void coveredBySingleSmallerSet() {
        Router<String> r = router(route("wide", "GET,HEAD /x"), route("get", "GET,HEAD,POST /x"),
                route("post", "POST /x"));
        assertThat(r.analyze()).containsExactly(new RouteFinding(false, 1, 0,
                "can never win: every request it matches goes to routes 'wide' and 'post'"));
        Router<String> single = router(route("get", "GET /x"), route("dup", "GET,GET /x"));
        assertThat(single.analyze()).singleElement().extracting(RouteFinding::error).isEqualTo(true);
    }

    @Test
    void restShadowedByExactAndDeeperRoutes() {
        Router<String> r = router(route("exact", "ANY /api"), route("deep", "ANY /api/{x}/**"),
                route("rest", "ANY /api/**"));
        assertThat(r.analyze()).containsExactly(new RouteFinding(false, 2, 0,
                "can never win except for '/api/' and paths with an empty segment after it: every other request"
                        + " it matches goes to routes 'exact' and 'deep'"));
        assertThat(serve(r, "/api/")).isEqualTo("rest");
        assertThat(serve(r, "/api//x")).isEqualTo("rest");
        assertThat(serve(r, "/api/x")).isEqualTo("deep");
        assertThat(serve(r, "/api")).isEqualTo("exact");
    }

    @Test
    void restShadowingAtTheRootAndWithVariables() {
        Router<String> root = router(route("all", "GET /**"), route("home", "ANY /"), route("any", "GET,POST /{p}/**"));
        assertThat(root.analyze()).singleElement().satisfies(f -> {
            assertThat(f.error()).isFalse();
            assertThat(f.route()).isZero();
            assertThat(f.other()).isEqualTo(1);
            assertThat(f.message()).startsWith("can never win except for paths starting with '//'");
        });
        Router<String> vars = router(route("r", "ANY /t/{a}/**"), route("e", "ANY /t/{b}"), route("d", "ANY /t/{c}/{d}/**"));
        assertThat(vars.analyze()).extracting(RouteFinding::route).containsExactly(0);
    }

    @Test
    void restNotShadowedWhenSomethingDoesNotCoverIt() {
        assertThat(router(route("exact", "GET /api"), route("deep", "ANY /api/{x}/**"), route("rest", "ANY /api/**"))
                .analyze()).isEmpty();
        assertThat(router(route("exact", "ANY /api"), route("rest", "ANY /api/**")).analyze()).isEmpty();
        assertThat(router(route("exact", "ANY /api", "h.example"), route("deep", "ANY /api/{x}/**"),
                route("rest", "ANY /api/**")).analyze()).isEmpty();
        assertThat(router(route("exact", "ANY /api"), route("deep", "ANY /api/{x}/**", null, Map.of("x-a", "1")),
                route("rest", "ANY /api/**")).analyze()).isEmpty();
        assertThat(router(route("exact", "ANY /api"), route("deep", "ANY /api/x/**"),
                route("rest", "ANY /api/**")).analyze()).isEmpty();
    }

    private static String serve(Router<String> r, String path) {
        return TestRoutes.serve(r, "GET", path);
    }
}
