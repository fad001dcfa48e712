package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @Test
    void bindsTheFullExample() throws Exception {
        LoadedConfig loaded = loader.load(resource("full.yaml"));
        GatewayConfig config = loaded.config();

        assertThat(config.listen()).isEqualTo(ListenConfig.DEFAULTS);
        assertThat(config.upstreams()).containsOnlyKeys("users", "auth");
        assertThat(config.upstreams().get("users")).isEqualTo(new UpstreamConfig("users", List.of(
                new TargetConfig(URI.create("http://127.0.0.1:9001"), 1),
                new TargetConfig(URI.create("http://127.0.0.1:9002"), 2)),
                UpstreamConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(1), Duration.ofSeconds(30), ResilienceConfig.NONE));
        assertThat(config.upstreams().get("auth")).isEqualTo(new UpstreamConfig("auth", List.of(
                new TargetConfig(URI.create("http://127.0.0.1:9003"), 1)),
                UpstreamConfig.Balance.ROUND_ROBIN, UpstreamConfig.DEFAULT_CONNECT_TIMEOUT, UpstreamConfig.DEFAULT_TIMEOUT,
                ResilienceConfig.NONE));
        assertThat(config.routes()).containsExactly(
                new RouteConfig("login", "/api/v1/auth/{action}", List.of("POST"), Optional.empty(), Map.of(), "auth",
                        Optional.of("/auth/{action}"), Optional.empty(), Optional.empty(), AuthConfig.PUBLIC,
                        Optional.empty(), List.of(), Optional.empty(), Optional.empty()),
                new RouteConfig("users", "/api/v1/users/**", List.of(), Optional.empty(), Map.of(), "users",
                        Optional.empty(), Optional.of("/api/v1"), Optional.empty(), AuthConfig.REQUIRED, Optional.empty(),
                        List.of(), Optional.empty(), Optional.empty()),
                new RouteConfig("apps", "/apps/{app}/**", List.of(), Optional.of("*.example.com"),
                        Map.of("x-tenant", "acme"), "http://{app}.apps.internal:8080", Optional.empty(),
                        Optional.of("/apps/{app}"), Optional.of(2L << 30), AuthConfig.PUBLIC, Optional.empty(),
                        List.of(), Optional.empty(), Optional.empty()));
        assertThat(config.routes().get(2).inlineUpstream()).isTrue();
        assertThat(config.jwt()).hasValue(new JwtConfig(Optional.empty(), List.of(), JwtConfig.DEFAULT_CLOCK_SKEW,
                List.of(new KeyConfig.HmacSecret("test-only-secret-0123456789abcdef", Optional.empty())),
                Map.of("sub", "X-User-Id", "roles", "X-User-Roles"), JwtConfig.DEFAULT_ROLES_CLAIM,
                JwtConfig.DEFAULT_MAX_TOKEN_SIZE));
        assertThat(config.cors()).isEmpty();
        assertThat(config.stripHeaders()).isEmpty();
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void recordsWhereEachValueWasWritten() throws Exception {
        Path file = resource("full.yaml");
        LoadedConfig loaded = loader.load(file);
        String name = file.toString();

        assertThat(loaded.file()).isEqualTo(file);
        assertThat(loaded.locations()).contains(
                Map.entry("listen", new SourceLocation(name, 1, 9)),
                Map.entry("listen.port", new SourceLocation(name, 1, 17)),
                Map.entry("upstreams.users", new SourceLocation(name, 4, 5)),
                Map.entry("upstreams.users.targets[0]", new SourceLocation(name, 4, 16)),
                Map.entry("upstreams.users.targets[1]", new SourceLocation(name, 4, 41)),
                Map.entry("upstreams.users.targets[1].url", new SourceLocation(name, 4, 48)),
                Map.entry("routes[0]", new SourceLocation(name, 10, 5)),
                Map.entry("routes[0].path", new SourceLocation(name, 11, 11)),
                Map.entry("routes[0].auth", new SourceLocation(name, 15, 11)),
                Map.entry("routes[2].upstream", new SourceLocation(name, 24, 15)),
                Map.entry("jwt.keys[0].hmac-secret", new SourceLocation(name, 29, 26)));
        assertThat(loaded.locate("routes[1].rewrite")).isEqualTo(new SourceLocation(name, 16, 5));
    }

    @Test
    void appliesDefaultsAndNormalizes() throws Exception {
        LoadedConfig loaded = loader.load(resource("minimal.yaml"));

        assertThat(loaded.config().listen()).isEqualTo(ListenConfig.DEFAULTS);
        assertThat(loaded.config().upstreams().get("api").targets())
                .containsExactly(new TargetConfig(URI.create("https://api.internal:443"), 1));
        assertThat(loaded.config().routes().getFirst().methods()).containsExactly("GET", "HEAD");
    }

    @Test
    void hashesTheFileBytes(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(resource("full.yaml"));
        Path file = dir.resolve("gateway.yaml");
        Files.write(file, bytes);

        LoadedConfig loaded = loader.load(file);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(loaded.sha256()).isEqualTo(expected);
        assertThat(loader.parse("x.yaml", new String(bytes, StandardCharsets.UTF_8)).sha256()).isEqualTo(expected);
    }

    @Test
    void sameMeaningComparesEqualWhateverTheLayout() throws Exception {
        String flow = "upstreams: { a: { targets: [ 'http://h:80' ] } }\n"
                + "routes: [ { name: r, path: /r, upstream: a, auth: public } ]\n";
        String block = """
                # the same, in block style
                upstreams:
                  a:
                    targets:
                      - http://H/
                routes:
                  - name: r
                    upstream: a
                    path: /r
                    auth: public
                """;
        assertThat(loader.parse("a.yaml", flow).config()).isEqualTo(loader.parse("b.yaml", block).config());
    }

    @Test
    void namesTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "listen: { port: x }\nroutes: []\n");

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.findings()).map(ConfigError::toString)
                        .containsExactly(file + ":1:17: error: listen.port: expected an integer, got 'x'",
                                file + ":2:9: warning: no routes: every request will be answered 404"))
                .hasMessage(file + ":1:17: error: listen.port: expected an integer, got 'x'");
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1:1: error: cannot read the file: it does not exist");
    }

    @Test
    void warningsOfAValidFileAreKept() throws Exception {
        LoadedConfig loaded = loader.parse("w.yaml", "upstreams: { a: { targets: [ 'http://h' ] } }\n");

        assertThat(loaded.warnings()).map(ConfigError::toString).containsExactly(
                "w.yaml:1:1: warning: no routes: every request will be answered 404",
                "w.yaml:1:17: warning: upstreams.a: upstream 'a' is not used by any route");
        assertThat(loaded.config().routes()).isEmpty();
    }

    @Test
    void acceptsTheShippedExample() throws Exception {
        Path example = Path.of("gateway.yaml.example");
        if (!Files.exists(example)) return;

        LoadedConfig loaded = loader.load(example);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().routes()).isNotEmpty();
    }

    static Path resource(String name) throws Exception {
        return Path.of(ConfigLoaderTest.class.getResource("/config/valid/" + name).toURI());
    }
}
