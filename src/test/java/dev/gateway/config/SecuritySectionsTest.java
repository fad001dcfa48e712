package dev.gateway.config;

import static dev.gateway.config.ConfigLoaderTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jwt, cors, strip-headers and route auth sections: binding, defaults, and secrets kept out of messages. */
class SecuritySectionsTest {
    private static final String UPSTREAM = "upstreams: { api: { targets: [ 'http://127.0.0.1:9001' ] } }\n";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void bindsEverySecurityOption() throws Exception {
        Path file = resource("security.yaml");
        Path pemFile = resource("keys/test-rsa.pub.pem");
        GatewayConfig config = new ConfigLoader(Map.of()).load(file).config();

        assertThat(config.jwt()).hasValue(new JwtConfig(Optional.of("https://auth.example.com"), List.of("realchat"),
                Duration.ofSeconds(10), List.of(
                        new KeyConfig.HmacSecret(SECRET, Optional.of("k1")),
                        new KeyConfig.PublicKeyFile(pemFile, Files.readString(pemFile), Optional.of("rsa-1")),
                        new KeyConfig.JwksUrl(URI.create("http://auth:5001/.well-known/jwks.json"), Duration.ofMinutes(1)),
                        new KeyConfig.JwksUrl(URI.create("https://auth.example.com/jwks.json"),
                                KeyConfig.JwksUrl.DEFAULT_REFRESH)),
                Map.of("sub", "X-User-Id", "roles", "X-User-Roles"), "realm_roles", 4096));
        assertThat(config.jwt().get().keys().get(1)).isInstanceOfSatisfying(KeyConfig.PublicKeyFile.class,
                k -> assertThat(k.pem()).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertThat(config.stripHeaders()).containsExactly("x-internal-*", "x-debug");
        assertThat(config.cors()).hasValue(new CorsConfig(List.of("http://localhost:3000", "https://app.example.com"),
                List.of("GET", "POST", "PUT", "PATCH", "DELETE"), List.of("Authorization", "Content-Type"),
                List.of("X-Request-Id"), true, Duration.ofMinutes(10)));

        assertThat(config.routes()).extracting(RouteConfig::name, RouteConfig::auth).containsExactly(
                tuple("login", AuthConfig.PUBLIC),
                tuple("me", AuthConfig.REQUIRED),
                tuple("session", AuthConfig.REQUIRED),
                tuple("admin",
                        new AuthConfig(false, List.of("admin", "ops"), List.of("admin:write"))),
                tuple("widget", AuthConfig.PUBLIC));
        assertThat(config.routes().subList(0, 4)).allSatisfy(r -> assertThat(r.cors()).isEmpty());
        assertThat(config.routes().get(4).cors()).hasValue(new CorsConfig(List.of("*"), CorsConfig.DEFAULT_METHODS,
                List.of(), List.of(), false, CorsConfig.DEFAULT_MAX_AGE));
    }

    @Test
    void appliesTheDocumentedDefaults() throws Exception {
        String yaml = "jwt: { keys: [ { jwks-url: 'https://auth.example.com/jwks.json' } ] }\n"
                + "cors: { origins: [ 'https://app.example.com' ] }\n" + UPSTREAM
                + "routes: [ { name: r, path: /r, upstream: api } ]\n";

        GatewayConfig config = new ConfigLoader(Map.of()).parse("d.yaml", yaml).config();

        assertThat(config.jwt()).hasValue(new JwtConfig(Optional.empty(), List.of(), JwtConfig.DEFAULT_CLOCK_SKEW,
                List.of(new KeyConfig.JwksUrl(URI.create("https://auth.example.com/jwks.json"), Duration.ofMinutes(10))),
                Map.of(), "roles", 8 * 1024));
        assertThat(config.cors()).hasValue(new CorsConfig(List.of("https://app.example.com"),
                List.of("GET", "HEAD", "POST"), List.of(), List.of(), false, Duration.ofMinutes(5)));
        assertThat(config.stripHeaders()).isEmpty();
        assertThat(config.routes().getFirst().auth()).isEqualTo(AuthConfig.REQUIRED);
    }

    @Test
    void takesTheSecretFromTheEnvironmentAndNeverShowsIt() throws Exception {
        String secret = "from-the-environment-0123456789abcdef";
        String yaml = "jwt: { keys: [ { hmac-secret: '${JWT_SECRET}' } ] }\n" + UPSTREAM
                + "routes: [ { name: r, path: /r, upstream: api } ]\n";

        LoadedConfig loaded = new ConfigLoader(Map.of("JWT_SECRET", secret)).parse("s.yaml", yaml);

        assertThat(loaded.config().jwt().get().keys())
                .containsExactly(new KeyConfig.HmacSecret(secret, Optional.empty()));
        assertThat(loaded.toString()).doesNotContain(secret).contains("<redacted>");
        assertThat(loaded.locations()).containsKey("jwt.keys[0].hmac-secret");
    }

    @Test
    void theShortSecretFixtureDoesNotShowItsSecrets() throws Exception {
        String findings = InvalidConfigTest.fixtureFindings("short-hmac-secret.yaml");

        assertThat(findings).contains("hmac-secret must be at least 32 bytes (got 12)")
                .doesNotContain("tooshort1234", "s3cr3t", "0123456789abcdef", "unclosed");
    }

    @Test
    void noMessageAboutAKeyShowsTheSecret() {
        String secret = "hunter2-is-not-long";
        for (String keys : List.of("[ { hmac-secret: '" + secret + "' } ]", "[ { hmac-secret: 'x${" + secret + "' } ]",
                "[ { hmac-secret: '${1" + secret + "}' } ]", "'" + secret + "'", "[ '" + secret + "' ]",
                "[ { hmac-secret: '" + secret + "', public-key: x.pem } ]",
                "[ { jwks-url: 'https://me:" + secret + "@auth.example.com/jwks' } ]",
                "[ { jwks-url: 'https://me:" + secret + "@auth example/jwks' } ]")) {
            String yaml = "jwt: { keys: " + keys + " }\n" + UPSTREAM + "routes: [ { name: r, path: /r, upstream: api } ]\n";

            String findings = InvalidConfigTest.findings("k.yaml", yaml);

            assertThat(findings).as(keys).contains("error: jwt.keys").doesNotContain(secret).doesNotContain("hunter2");
        }
    }

    @Test
    void resolvesPublicKeyPathsAgainstTheConfigDirectory(@TempDir Path dir) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        String pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n";
        Files.writeString(keys.resolve("k.pem"), pem);
        String yaml = "jwt: { keys: [ { public-key: keys/k.pem } ] }\n" + UPSTREAM
                + "routes: [ { name: r, path: /r, upstream: api } ]\n";
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);

        KeyConfig loaded = new ConfigLoader(Map.of()).load(file).config().jwt().get().keys().getFirst();
        KeyConfig parsed = new ConfigLoader(Map.of()).parse(file.toString(), yaml).config().jwt().get().keys().getFirst();

        assertThat(loaded).isEqualTo(new KeyConfig.PublicKeyFile(keys.resolve("k.pem"), pem, Optional.empty()))
                .isEqualTo(parsed);
    }

    @Test
    void booleansAreYaml12BooleansAfterSubstitution() throws Exception {
        String yaml = "cors: { origins: [ 'https://a.example.com' ], credentials: '${CREDENTIALS:-TRUE}' }\n" + UPSTREAM
                + "routes: [ { name: r, path: /r, upstream: api, auth: public,"
                + " cors: { origins: [ 'https://b.example.com' ], credentials: False } } ]\n";

        GatewayConfig config = new ConfigLoader(Map.of()).parse("b.yaml", yaml).config();

        assertThat(config.cors().get().credentials()).isTrue();
        assertThat(config.routes().getFirst().cors().get().credentials()).isFalse();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("CREDENTIALS", "no")).parse("b.yaml", yaml))
                .hasMessage("b.yaml:1:60: error: cors.credentials: expected true or false, got 'no'"
                        + " (YAML 1.2 reads yes/no/on/off as text: write true or false)");
    }

    @Test
    void aPublicOnlyFileNeedsNoJwtSection() throws Exception {
        String yaml = UPSTREAM + "routes: [ { name: r, path: /r, upstream: api, auth: public } ]\n";

        LoadedConfig loaded = new ConfigLoader(Map.of()).parse("p.yaml", yaml);

        assertThat(loaded.config().jwt()).isEmpty();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().routes()).map(RouteConfig::auth).containsExactly(AuthConfig.PUBLIC);
    }

    @Test
    void everyProtectedRouteWithoutJwtIsReported() {
        String yaml = UPSTREAM + "routes:\n  - { name: a, path: /a, upstream: api }\n"
                + "  - { name: b, path: /b, upstream: api, auth: { scopes: [ 'orders:write' ] } }\n";

        assertThat(InvalidConfigTest.findings("n.yaml", yaml).lines().collect(Collectors.toList())).containsExactly(
                "n.yaml:3:5: error: routes[0]: requires a bearer token but no jwt section is configured"
                        + " (add one, or mark the route `auth: public`)",
                "n.yaml:4:47: error: routes[1].auth: requires a bearer token but no jwt section is configured"
                        + " (add one, or mark the route `auth: public`)");
    }
}
