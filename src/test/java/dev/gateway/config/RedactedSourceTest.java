package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RedactedSourceTest {
    private static final String SECRET = "correct-horse-battery-staple-0123456789";

    @Test
    void secretsAndUrlCredentialsAreRedactedAndEverythingElseIsShownAsWritten() throws Exception {
        LoadedConfig loaded = new ConfigLoader(Map.of("OTHER", SECRET)).parse("gateway.yaml", """
                listen: { port: 8080, shutdown-grace: 2s }
                jwt:
                  keys:
                    - { hmac-secret: "%s" }
                    - { hmac-secret: "${OTHER}", kid: two }
                rate-limits:
                  store: "redis://:hunter2@127.0.0.1:6379"
                  policies: { per-ip: { rate: 10/s, burst: 20 } }
                upstreams:
                  app: { targets: [ "http://127.0.0.1:9000" ], retry: { attempts: 2, jitter: false } }
                routes:
                  - { name: app, path: /**, upstream: app, auth: public, rate-limit: per-ip }
                """.formatted(SECRET));
        Object tree = RedactedSource.tree(loaded);
        String text = tree.toString();
        assertThat(text).doesNotContain(SECRET).doesNotContain("hunter2");
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) tree;
        @SuppressWarnings("unchecked") Map<String, Object> jwt = (Map<String, Object>) root.get("jwt");
        assertThat(jwt.get("keys")).isEqualTo(List.of(Map.of("hmac-secret", RedactedSource.REDACTED),
                Map.of("hmac-secret", RedactedSource.REDACTED, "kid", "two")));
        @SuppressWarnings("unchecked") Map<String, Object> limits = (Map<String, Object>) root.get("rate-limits");
        assertThat(limits.get("store")).isEqualTo("redis://<redacted>@127.0.0.1:6379");
        assertThat(root.get("listen")).isEqualTo(Map.of("port", 8080L, "shutdown-grace", "2s"));
        assertThat(text).contains("jitter=false", "attempts=2", "http://127.0.0.1:9000");
    }
}
