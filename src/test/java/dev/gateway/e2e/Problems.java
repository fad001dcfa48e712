package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Asserts that a response is an error the gateway made itself: the status, {@code application/problem+json}, a
 * JSON body whose status and request_id match the response, and nothing that looks like a stack trace.
 */
final class Problems {
    private Problems() {
    }

    static Map<String, Object> assertProblem(HttpResponse<String> r, int expected) {
        return assertProblem(expected, r.statusCode(), r.headers().firstValue("content-type").orElse(null),
                r.headers().allValues("x-request-id"), r.body());
    }

    static Map<String, Object> assertProblem(RawHttp.Response r, int expected) {
        return assertProblem(expected, r.status(), r.header("content-type"),
                r.headers().getOrDefault("x-request-id", java.util.List.of()), r.bodyText());
    }

    private static Map<String, Object> assertProblem(int expected, int status, String contentType,
                                                     java.util.List<String> requestIds, String body) {
        assertThat(status).as("status of %s", body).isEqualTo(expected);
        assertThat(contentType).as("content-type").isNotNull().startsWith("application/problem+json");
        assertThat(requestIds).as("exactly one X-Request-Id").hasSize(1);
        String requestId = requestIds.getFirst();
        assertThat(requestId).matches("[A-Za-z0-9._:-]{1,128}");
        Map<String, Object> json = TinyJson.object(body);
        assertThat(json.get("status")).isEqualTo((long) expected);
        assertThat(json.get("request_id")).as("request_id in the body").isEqualTo(requestId);
        assertThat(json.get("title")).isInstanceOf(String.class);
        assertThat(body).doesNotContain("Exception", "\tat ", "\n", "java.", "io.helidon", "org.apache",
                "dev.gateway");
        return json;
    }
}
