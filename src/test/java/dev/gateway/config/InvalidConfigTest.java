package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@code config/invalid/NAME.yaml} and compares all findings (errors and warnings, one per line as
 * {@link ConfigError#toString()} prints them) with {@code NAME.errors}. Other files in that directory are inputs the
 * fixtures refer to (key files).
 */
class InvalidConfigTest {
    /** What the fixtures see as the environment. */
    static final Map<String, String> ENV = Map.of("AUTH_URL", "http://auth.internal:9000", "EMPTY", "");

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportsExactlyTheExpectedFindings(String name) throws Exception {
        Path expectedFile = dir().resolve(name.replaceFirst("\\.yaml$", ".errors"));
        assertThat(expectedFile).as("expected findings file").exists();
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8).strip();

        assertThat(fixtureFindings(name)).isEqualTo(expected);
    }

    /**
     * The findings of one fixture, loaded from its file so relative paths in it (public-key files) resolve next to
     * it; the fixture directory is cut from the output, so it reads {@code NAME.yaml:line:column: ...}.
     */
    static String fixtureFindings(String name) throws URISyntaxException {
        String prefix = dir() + File.separator;
        List<ConfigError> findings;
        try {
            findings = new ConfigLoader(ENV).load(dir().resolve(name)).warnings();
        } catch (ConfigException e) {
            findings = e.findings();
        }
        return findings.stream().map(ConfigError::toString).map(f -> f.replace(prefix, ""))
                .collect(Collectors.joining("\n"));
    }

    static String findings(String name, String yaml) {
        List<ConfigError> findings;
        try {
            findings = new ConfigLoader(ENV).parse(name, yaml).warnings();
        } catch (ConfigException e) {
            findings = e.findings();
        }
        return findings.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }

    private static Path dir() throws URISyntaxException {
        return Path.of(InvalidConfigTest.class.getResource("/config/invalid").toURI());
    }
}
