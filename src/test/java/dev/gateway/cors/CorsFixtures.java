package dev.gateway.cors;

import static java.util.stream.Collectors.toMap;

import dev.gateway.config.CorsConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Named configurations and short-hand parsing shared by the CORS tests. */
final class CorsFixtures {
    private static final List<String> ORIGINS =
            List.of("https://app.example.com", "http://localhost:8080", "HTTP://Plain.Example:80");
    private static final Map<String, String> ALIASES = Map.of(
            "ACAO", "Access-Control-Allow-Origin", "ACAM", "Access-Control-Allow-Methods",
            "ACAH", "Access-Control-Allow-Headers", "ACAC", "Access-Control-Allow-Credentials",
            "MAX", "Access-Control-Max-Age", "ACEH", "Access-Control-Expose-Headers", "VARY", "Vary");

    static final Map<String, CorsConfig> CONFIGS = Map.of(
            "list", new CorsConfig(ORIGINS, List.of("GET", "PUT", "DELETE", "PATCH"),
                    List.of("X-Request-Id", "Content-Type", "Authorization"), List.of("X-Trace-Id", "ETag"),
                    false, Duration.ofMinutes(10)),
            "list-creds", new CorsConfig(ORIGINS, List.of("PUT"), List.of("*"), List.of(), true,
                    Duration.ofSeconds(90)),
            "wild", new CorsConfig(List.of("*"), List.of("GET", "POST", "PUT"), List.of("*"), List.of("X-Trace-Id"),
                    false, Duration.ofMinutes(5)),
            "wild-auth", new CorsConfig(List.of("*"), List.of("*"), List.of("*", "Authorization"), List.of(),
                    false, Duration.ZERO),
            "null-origin", new CorsConfig(List.of("null"), List.of("GET"), List.of(), List.of(), false, null),
            "any-method-creds", new CorsConfig(List.of("https://app.example.com"), List.of("*"), List.of(), List.of(),
                    true, Duration.ofMinutes(5)));

    private CorsFixtures() {
    }

    static CorsPolicy policy(String name) {
        return new CorsPolicy(CONFIGS.get(name));
    }

    /** Request headers keyed by lower-case name, as the handler hands them over; null values are absent. */
    static Function<String, String> request(String origin, String method, String headers) {
        Map<String, String> map = new HashMap<>();
        map.put("origin", origin);
        map.put("access-control-request-method", method);
        map.put("access-control-request-headers", headers);
        return map::get;
    }

    /** "ACAO=x; ACAM=GET, PUT" → full header names to values; null is no headers. */
    static Map<String, String> expected(String shortHand) {
        if (shortHand == null) {
            return Map.of();
        }
        return Arrays.stream(shortHand.split(";")).map(String::strip)
                .collect(toMap(p -> ALIASES.get(p.substring(0, p.indexOf('='))), p -> p.substring(p.indexOf('=') + 1)));
    }

    /** Fails on a repeated header name, which a response must not carry for these headers. */
    static Map<String, String> asMap(List<Map.Entry<String, String>> headers) {
        return headers.stream().collect(toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
