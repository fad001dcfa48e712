package dev.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin rules (Fetch standard). {@code origins} are exact origins ({@code https://app.example.com}) or
 * {@code *} (not allowed together with {@code credentials: true}). Defaults: methods GET, HEAD, POST; no extra
 * headers; credentials false; max-age 5m.
 */
public record CorsConfig(List<String> origins, List<String> methods, List<String> headers,
                         List<String> exposeHeaders, boolean credentials, Duration maxAge) {
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    public CorsConfig {
        origins = List.copyOf(origins);
        methods = List.copyOf(methods);
        headers = List.copyOf(headers);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
