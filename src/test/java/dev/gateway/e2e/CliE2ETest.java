package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway validate} (exit 0 valid, 1 invalid with file:line:column findings, 2 usage error; --format json)
 * in-process through the {@link Cli#run} seam and as a real child process; {@code serve} refusing an invalid file.
 */
class CliE2ETest {
    private static final Path EXAMPLE = Path.of("gateway.yaml.example").toAbsolutePath();
    private static final Pattern FINDING = Pattern.compile("^(\\S*bad\\.yaml):(\\d+):(\\d+): error: (.*)$");
    /** Line 5: an unknown key (did you mean timeout?); line 9: an unknown upstream (known: users). */
    private static final String BAD = """
            listen: { host: 127.0.0.1 }
            upstreams:
              users:
                targets: [ "http://127.0.0.1:9001" ]
                timeot: 5s
            routes:
              - name: users
                path: /users/**
                upstream: userz
            """;

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path bad() throws Exception {
        return Files.writeString(dir.resolve("bad.yaml"), BAD);
    }

    /** Checks the two expected findings are among the located error lines of {@code err}, in line order. */
    private static void assertLocatedFindings(String err) {
        List<Matcher> findings = err.lines().map(FINDING::matcher).filter(Matcher::matches).toList();
        assertThat(findings).as("located findings in:\n%s", err).hasSizeGreaterThanOrEqualTo(2);
        List<Integer> lines = findings.stream().map(m -> Integer.parseInt(m.group(2))).toList();
        assertThat(lines).isSorted().contains(5, 9);
        Matcher unknownKey = findings.stream().filter(m -> m.group(2).equals("5")).findFirst().orElseThrow();
        assertThat(unknownKey.group(3)).isEqualTo("5");
        assertThat(unknownKey.group(4)).contains("timeot").contains("timeout");
        Matcher unknownUpstream = findings.stream().filter(m -> m.group(2).equals("9")).findFirst().orElseThrow();
        assertThat(unknownUpstream.group(4)).contains("routes[0].upstream").contains("userz").contains("users");
        assertThat(err).doesNotContain("Exception", "\tat ");
    }

    @Test
    void theExampleIsValid() {
        // in-process the environment is the test JVM's; theRealExecutable... runs it with AUTH_URL removed
        Run r = cli("validate", "--config", EXAMPLE.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid");
    }

    @Test
    void anInvalidFileExitsOneWithLocatedErrors() throws Exception {
        Run r = cli("validate", "--config", bad().toString());
        assertThat(r.code()).isEqualTo(1);
        assertLocatedFindings(r.err());
        assertThat(r.out()).contains("invalid");
    }

    @Test
    void aUsageErrorExitsTwo() throws Exception {
        Run unknownOption = cli("validate", "--config", EXAMPLE.toString(), "--no-such-option");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("--no-such-option");
        assertThat(cli("validate", "--format", "xml", "--config", EXAMPLE.toString()).code()).isEqualTo(2);
        assertThat(cli("no-such-command").code()).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonFormatPrintsMachineReadableFindings() throws Exception {
        Run r = cli("validate", "--config", bad().toString(), "--format", "json");
        assertThat(r.code()).isEqualTo(1);
        Map<String, Object> json = TinyJson.object(r.out().strip());
        assertThat(json.get("valid")).isEqualTo(false);
        List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
        assertThat(findings).isNotEmpty();
        assertThat(json.get("errors")).isEqualTo(findings.stream().filter(f -> "error".equals(f.get("severity"))).count());
        for (Map<String, Object> f : findings) {
            assertThat(f).containsKeys("file", "line", "column", "severity", "path", "message");
            assertThat((String) f.get("file")).endsWith("bad.yaml");
            assertThat((Long) f.get("line")).isPositive();
            assertThat((Long) f.get("column")).isPositive();
        }
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.get("path")).isEqualTo("routes[0].upstream");
            assertThat(f.get("line")).isEqualTo(9L);
            assertThat(f.get("severity")).isEqualTo("error");
            assertThat((String) f.get("message")).contains("userz");
        });
        assertThat(findings).anySatisfy(f -> assertThat(f.get("line")).isEqualTo(5L));

        Run ok = cli("validate", "--config", EXAMPLE.toString(), "--format", "json");
        assertThat(ok.code()).isZero();
        Map<String, Object> valid = TinyJson.object(ok.out().strip());
        assertThat(valid).containsEntry("valid", true).containsEntry("errors", 0L);
        assertThat(valid.get("findings")).isInstanceOf(List.class);
    }

    @Test
    void theRealExecutableHasTheSameExitCodes() throws Exception {
        GatewayProcess.Finished valid = GatewayProcess.run(dir, "validate", "--config", EXAMPLE.toString());
        assertThat(valid.exitCode()).as(valid.stderr()).isZero();

        GatewayProcess.Finished invalid = GatewayProcess.run(dir, "validate", "--config", bad().toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertLocatedFindings(invalid.stderr());

        GatewayProcess.Finished json = GatewayProcess.run(dir, "validate", "--config", bad().toString(),
                "--format", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(TinyJson.object(json.stdout().strip())).containsEntry("valid", false);

        GatewayProcess.Finished usage = GatewayProcess.run(dir, "validate", "--bogus");
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void serveRefusesAnInvalidFileWithLocatedErrors() throws Exception {
        GatewayProcess.Finished r = GatewayProcess.run(dir, "serve", "--config", bad().toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertLocatedFindings(r.stderr());
        assertThat(r.stderr()).doesNotContain("gateway listening");
    }

    @Test
    void secretsNeverAppearInValidateOrRoutesOutput() throws Exception {
        String secret = "never-shown-" + dev.gateway.auth.Tokens.secret(32);
        String shortSecret = "short-s3cret";
        Path good = Files.writeString(dir.resolve("secret.yaml"), """
                jwt: { keys: [ { hmac-secret: "%s" } ] }
                upstreams: { users: { targets: [ "http://127.0.0.1:9001" ] } }
                routes: [ { name: users, path: /users/**, upstream: users, auth: { roles: [ admin ] } } ]
                """.formatted(secret));
        Path weak = Files.writeString(dir.resolve("weak.yaml"), """
                jwt: { keys: [ { hmac-secret: "%s" }, { hmac-secret: "${NO_SUCH_SECRET_VAR}" } ] }
                upstreams: { users: { targets: [ "http://127.0.0.1:9001" ] } }
                routes: [ { name: users, path: /users/**, upstream: users } ]
                """.formatted(shortSecret));
        List<Run> runs = List.of(cli("validate", "--config", good.toString()),
                cli("validate", "--config", good.toString(), "--format", "json"),
                cli("routes", "--config", good.toString()),
                cli("routes", "--config", good.toString(), "--match", "GET /users/1"));
        for (Run r : runs) {
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out() + r.err()).doesNotContain(secret);
        }
        assertThat(runs.get(2).out()).contains("token roles=admin");
        Run invalid = cli("validate", "--config", weak.toString());
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).contains("hmac-secret must be at least 32 bytes (got 12)", "NO_SUCH_SECRET_VAR")
                .doesNotContain(shortSecret);
    }
}
