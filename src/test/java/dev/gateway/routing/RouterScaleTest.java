package dev.gateway.routing;

import static dev.gateway.routing.TestRoutes.route;
import static dev.gateway.routing.TestRoutes.serve;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterScaleTest {

    @Test
    void aThousandRoutesStillMatchTheRightOne() {
        Router.Builder<String> b = Router.builder();
        for (int i = 0; i < 250; i++) {
            b.add(route("svc" + i, "ANY /svc" + i + "/**"), "svc" + i);
            b.add(route("item" + i, "GET /svc" + i + "/items/{id}"), "item" + i);
            b.add(route("static" + i, "GET /svc" + i + "/items/latest"), "static" + i);
            b.add(route("tenant" + i, "GET,POST /t/{tenant}/s" + i + "/{id}"), "tenant" + i);
        }
        Router<String> r = b.build();
        assertThat(r.routes()).hasSize(1000);
        assertThat(r.analyze()).isEmpty();
        for (int i = 0; i < 250; i += 7) {
            assertThat(serve(r, "GET", "/svc" + i + "/items/42")).isEqualTo("item" + i);
            assertThat(serve(r, "GET", "/svc" + i + "/items/latest")).isEqualTo("static" + i);
            assertThat(serve(r, "DELETE", "/svc" + i + "/items/42")).isEqualTo("svc" + i);
            assertThat(serve(r, "GET", "/svc" + i)).isEqualTo("svc" + i);
            assertThat(serve(r, "POST", "/t/acme/s" + i + "/9")).isEqualTo("tenant" + i);
            assertThat(serve(r, "PUT", "/t/acme/s" + i + "/9")).isEqualTo("405 [GET, POST]");
        }
        assertThat(serve(r, "GET", "/svc999/items/1")).isEqualTo("404");
        assertThat(serve(r, "GET", "/t/acme/s999/1")).isEqualTo("404");
        RouteMatch.Found<String> f = (RouteMatch.Found<String>) r.match("GET", null, "/t/acme/s17/9", n -> null);
        assertThat(f.variables()).containsEntry("tenant", "acme").containsEntry("id", "9");
    }
}
