package dev.gateway.cors;

import static dev.gateway.cors.CorsFixtures.asMap;
import static dev.gateway.cors.CorsFixtures.expected;
import static dev.gateway.cors.CorsFixtures.policy;
import static dev.gateway.cors.CorsFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsActualResponseTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "list        | https://app.example.com     | ACAO=https://app.example.com; ACEH=X-Trace-Id, ETag",
            "list        | HTTPS://APP.example.com:443 | ACAO=HTTPS://APP.example.com:443; ACEH=X-Trace-Id, ETag",
            "list        | http://plain.example        | ACAO=http://plain.example; ACEH=X-Trace-Id, ETag",
            "list        | https://other.test          | ",
            "list        | null                        | ",
            "list        |                             | ",
            "list-creds  | https://app.example.com     | ACAO=https://app.example.com; ACAC=true",
            "list-creds  | http://app.example.com      | ",
            "wild        | https://anything.test       | ACAO=*; ACEH=X-Trace-Id",
            "wild        | null                        | ACAO=*; ACEH=X-Trace-Id",
            "wild        |                             | ",
            "null-origin | null                        | ACAO=null",
            "null-origin | https://app.example.com     | ",
    })
    void addsHeadersToActualResponses(String config, String origin, String expected) {
        Map<String, String> want = new HashMap<>(expected(expected));
        want.put("Vary", "Origin");

        assertThat(asMap(policy(config).actualResponseHeaders(request(origin, null, null)))).isEqualTo(want);
    }
}
