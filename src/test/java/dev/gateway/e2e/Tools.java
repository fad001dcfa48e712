package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** External programs the end-to-end tests drive (curl, h2load, ab): finding them, and running them with a limit. */
final class Tools {
    private Tools() {
    }

    /**
     * The path of {@code program}; when it is missing the test fails under CI (which installs {@code debianPackage})
     * and is skipped elsewhere.
     */
    static String require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p.toString();
        }
        String why = program + " is not installed (apt-get install " + debianPackage + ")";
        if (System.getenv("CI") != null) fail(why + ": this test never skips in CI");
        Assumptions.abort(why);
        return null;
    }

    /** Runs {@code command} for at most {@code seconds}; returns its output (stdout and stderr) once it exits 0. */
    static String run(List<String> command, int seconds) throws Exception {
        Path log = Files.createTempFile("tool-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + seconds + "s: " + Files.readString(log));
            }
            String text = Files.readString(log);
            assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
