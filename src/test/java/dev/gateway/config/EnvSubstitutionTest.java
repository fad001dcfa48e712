package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvSubstitutionTest {
    private final EnvSubstitution env = new EnvSubstitution(Map.of("HOST", "api.internal", "PORT", "8081", "EMPTY", ""));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "plain                        | plain",
            "${HOST}                      | api.internal",
            "http://${HOST}:${PORT}       | http://api.internal:8081",
            "${MISSING:-fallback}         | fallback",
            "${HOST:-fallback}            | api.internal",
            "${EMPTY:-fallback}           | fallback",
            "x${EMPTY}y                   | xy",
            "${MISSING:-}                 | ''",
            "${MISSING:-http://h:1/a}     | http://h:1/a",
            "$$                           | $",
            "$${HOST}                     | ${HOST}",
            "a$b                          | a$b",
            "cost: 5$                     | cost: 5$",
            "$$$${HOST}                   | $${HOST}",
            "$$${HOST}                    | $api.internal",
    })
    void substitutes(String text, String expected) {
        assertThat(env.apply(text)).isEqualTo(new EnvSubstitution.Result(expected, List.of()));
    }

    @Test
    void reportsEveryMissingVariable() {
        assertThat(env.apply("${A}/${HOST}/${B}").errors()).containsExactly(
                "environment variable A is not set (use ${A:-default} for a default)",
                "environment variable B is not set (use ${B:-default} for a default)");
    }

    @Test
    void reportsMalformedReferences() {
        assertThat(env.apply("x${HOST").errors()).containsExactly(
                "unclosed '${' in 'x${HOST' (write ${NAME} or ${NAME:-default}; $$ is a literal $)");
        assertThat(env.apply("${}").errors()).containsExactly(
                "invalid variable reference '${}' (write ${NAME} or ${NAME:-default})");
        assertThat(env.apply("${HOST-x}").errors()).containsExactly(
                "invalid variable reference '${HOST-x}' (write ${NAME} or ${NAME:-default})");
    }

    @Test
    void substitutesInValuesAfterParsingSoTypesAndLocationsHold() throws Exception {
        String yaml = """
                listen: { port: "${PORT}", max-body-size: "${BODY:-1MiB}" }
                upstreams:
                  api: { targets: [ "http://${HOST}:${PORT}" ] }
                routes:
                  - { name: r, path: /r, upstream: api, headers: { x-cost: "5$$" }, auth: public }
                """;
        LoadedConfig loaded = new ConfigLoader(Map.of("HOST", "api.internal", "PORT", "8081")).parse("e.yaml", yaml);

        assertThat(loaded.config().listen().port()).isEqualTo(8081);
        assertThat(loaded.config().listen().maxBodySize()).isEqualTo(1L << 20);
        assertThat(loaded.config().upstreams().get("api").targets().getFirst().url())
                .isEqualTo(URI.create("http://api.internal:8081"));
        assertThat(loaded.config().routes().getFirst().headers()).containsEntry("x-cost", "5$");
        assertThat(loaded.locations().get("upstreams.api.targets[0]")).isEqualTo(new SourceLocation("e.yaml", 3, 21));
    }

    @Test
    void aMissingVariableIsAnErrorAtItsScalar() {
        String yaml = "routes:\n  - { name: r, path: /r, upstream: \"http://${APP_HOST}:80\", auth: public }\n";

        assertThat(InvalidConfigTest.findings("m.yaml", yaml)).isEqualTo(
                "m.yaml:2:36: error: routes[0].upstream: environment variable APP_HOST is not set "
                        + "(use ${APP_HOST:-default} for a default)");
    }

    @Test
    void leavesKeysAndCommentsAlone() throws Exception {
        String yaml = "# ${NOT_SET} in a comment\nupstreams:\n  a: { targets: [ 'http://h' ] }\n"
                + "routes: [ { name: r, path: /r, upstream: a, auth: public } ]\n";

        assertThat(new ConfigLoader(Map.of()).parse("c.yaml", yaml).config().routes()).hasSize(1);
    }
}
