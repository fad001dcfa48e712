package dev.gateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code gateway} CLI in a child JVM on the test classpath. stdout (the access log) goes to a file,
 * stderr (the event log) is collected line by line. {@link #close()} stops the process if still running.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("gateway listening on https?://(\\S+?):(\\d+) ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Path stdout;
    private final Thread reader;

    private GatewayProcess(Process process, Path stdout) {
        this.process = process;
        this.stdout = stdout;
        this.reader = Thread.ofPlatform().daemon().name("gateway-stderr").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) stderr.add(line);
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Starts {@code gateway ARGS...}; stdout goes to {@code stdoutFile}. AUTH_URL is removed from the environment. */
    static GatewayProcess start(Path stdoutFile, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.gateway.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdoutFile.toFile());
        pb.environment().remove("AUTH_URL");
        return new GatewayProcess(pb.start(), stdoutFile);
    }

    /** Starts {@code gateway serve --config FILE --port 0} and waits until it listens; returns it with its port. */
    static Serving serve(Path config, Path stdoutFile) throws IOException, InterruptedException {
        GatewayProcess p = start(stdoutFile, "serve", "--config", config.toString(), "--port", "0");
        try {
            String line = p.awaitStderr(l -> LISTENING.matcher(l).find(), 0, START_TIMEOUT);
            Matcher m = LISTENING.matcher(line);
            if (!m.find()) throw new AssertionError(line);
            return new Serving(p, Integer.parseInt(m.group(2)));
        } catch (RuntimeException | AssertionError | InterruptedException e) {
            p.close();
            throw e;
        }
    }

    /** A started {@code serve} process and the port it bound. */
    record Serving(GatewayProcess process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    /** Runs a command that ends by itself (validate); returns its exit code, stdout and stderr. */
    static Finished run(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        try (GatewayProcess p = start(out, args)) {
            int code = p.waitForExit(START_TIMEOUT);
            return new Finished(code, Files.readString(out), String.join("\n", p.stderr));
        }
    }

    record Finished(int exitCode, String stdout, String stderr) {
    }

    /** Lines written to stderr so far (a live, thread-safe view). */
    List<String> stderr() {
        return stderr;
    }

    String stderrText() {
        return String.join("\n", stderr);
    }

    List<String> stdoutLines() throws IOException {
        return Files.readAllLines(stdout);
    }

    /**
     * Waits for a stderr line at index {@code from} or later that satisfies {@code match}; returns it. Fails with
     * everything logged so far when none comes within {@code timeout} or the process ends first.
     */
    String awaitStderr(Predicate<String> match, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = from; i < stderr.size(); i++) {
                if (match.test(stderr.get(i))) return stderr.get(i);
            }
            if (!process.isAlive() && !reader.isAlive()) {
                throw new AssertionError("gateway exited (" + process.exitValue() + ") before the expected line; "
                        + "stderr:\n" + stderrText());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no expected line on stderr within " + timeout + "; stderr:\n" + stderrText());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Sends SIGTERM. Through the ProcessHandle: Process.destroy() sends the same signal but also closes our end
     * of the child's stderr, which would lose what the gateway logs while it drains.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("gateway did not exit within " + timeout + "; stderr:\n" + stderrText());
        }
        reader.join(10_000); // so stderr() holds everything the process wrote
        return process.exitValue();
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        sigterm();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
