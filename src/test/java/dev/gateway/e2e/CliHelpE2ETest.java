package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI's help, version and completion output: every command's help ends with examples that run that command
 * (none broken over two lines), {@code --version} says the build, and {@code completion} prints a bash script that
 * completes commands, options and option values.
 */
class CliHelpE2ETest {
    /** A command line in the "Commands:" list of {@code gateway --help}: two spaces, the name, then its summary. */
    private static final Pattern COMMAND = Pattern.compile("^  ([a-z][a-z-]+)\\s{2,}\\S.*$");

    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpEndsWithExamplesOfThatCommand() throws Exception {
        GatewayProcess.Finished root = GatewayProcess.run(dir, "--help");
        assertThat(root.exitCode()).as(root.stderr()).isZero();
        assertExamples(root.stdout(), "gateway");
        List<String> commands = commands(root.stdout());
        assertThat(commands).contains("serve", "validate", "routes", "token-test", "token-sign", "echo", "completion",
                "help");
        for (String command : commands) {
            GatewayProcess.Finished help = GatewayProcess.run(dir, command, "--help");
            assertThat(help.exitCode()).as(command + ": " + help.stderr()).isZero();
            assertThat(help.stdout()).as(command).contains("Usage: gateway " + command + " ");
            assertExamples(help.stdout(), "gateway " + command);
        }
    }

    @Test
    void versionNamesTheBuildAndTheJvm() throws Exception {
        GatewayProcess.Finished r = GatewayProcess.run(dir, "--version");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("gateway \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(lines.get(1)).matches("commit ([0-9a-f]{8}(-dirty)?|unknown), built "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(lines.get(2)).isEqualTo("Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
    }

    @Test
    void completionPrintsABashScriptThatCompletesCommandsAndOptions() throws Exception {
        GatewayProcess.Finished r = GatewayProcess.run(dir, "completion");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("#!/usr/bin/env bash");
        Path script = Files.writeString(dir.resolve("gateway.bash"), r.stdout());
        assertThat(complete(script, "gateway", "")).contains("serve", "validate", "routes", "token-test",
                "token-sign", "echo", "completion", "help");
        assertThat(complete(script, "gateway", "ro")).containsExactly("routes");
        assertThat(complete(script, "gateway", "routes", "--ma")).containsExactly("--match");
        assertThat(complete(script, "gateway", "validate", "--format", "")).containsExactlyInAnyOrder("text", "json");
    }

    /** What bash completion offers, through the script's completion function, for the words typed so far. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String typed = Stream.of(words).map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        Process p = new ProcessBuilder("bash", "-c", "source '" + script + "'; COMP_WORDS=(" + typed + "); "
                + "COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + String.join(" ", words) + "'; "
                + "_complete_gateway; printf '%s\\n' \"${COMPREPLY[@]}\"")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The help text has an "Examples:" footer whose every line runs {@code command} (perhaps fed by another). */
    private static void assertExamples(String help, String command) {
        List<String> lines = help.lines().toList();
        int at = lines.indexOf("Examples:");
        assertThat(at).as("an Examples: section in:\n%s", help).isNotNegative();
        List<String> examples = lines.subList(at + 1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        assertThat(examples).as(help).isNotEmpty().allSatisfy(e -> assertThat(e).contains(command));
    }

    private static List<String> commands(String rootHelp) {
        List<String> lines = rootHelp.lines().toList();
        int at = lines.indexOf("Commands:");
        assertThat(at).as(rootHelp).isNotNegative();
        return lines.subList(at + 1, lines.size()).stream().takeWhile(l -> !l.isBlank())
                .map(COMMAND::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).toList();
    }
}
