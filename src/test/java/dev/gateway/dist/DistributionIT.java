package dev.gateway.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives that {@code jreleaser:assemble} made in this build's package phase (failsafe runs this in
 * integration-test), unpacked with the system's unzip and tar as a user would and run through their own
 * {@code bin/gateway}: the java-archive zip and tgz on this JVM, the jlink image on its own runtime with its AOT cache.
 */
class DistributionIT {
    private static final String VERSION = System.getProperty("gateway.version", "0.1.0-SNAPSHOT");
    private static final Path ASSEMBLE = Path.of(System.getProperty("gateway.assemble.dir",
            "target/jreleaser/assemble"));
    private static final Path JAVA_ARCHIVE = ASSEMBLE.resolve("gateway/java-archive");
    private static final Path JLINK = ASSEMBLE.resolve("gateway-standalone/jlink");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The default JVM options, as the JVM reports them back with -XX:+PrintCommandLineFlags. */
    private static final List<String> DEFAULT_FLAGS = List.of("-XX:+UseSerialGC", "-XX:ThreadStackSize=512",
            "-XX:TieredStopAtLevel=4");
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @Test
    void theJavaArchiveZipRunsVersionAndValidateOnThisJvm() throws Exception {
        Path home = unpack(JAVA_ARCHIVE.resolve("gateway-" + VERSION + ".zip"));
        assertRunsVersionAndValidate(home, javaHomeEnv());
        assertThat(Files.isExecutable(home.resolve("bin/gateway"))).isTrue();
        assertThat(home.resolve("bin/gateway.bat")).isRegularFile();
        // the thin jar and exactly the build's runtime dependencies, side by side in lib/
        Set<String> expected = new TreeSet<>(names(Path.of("target/lib")));
        expected.add("gateway-dist.jar");
        assertThat(names(home.resolve("lib"))).containsExactlyElementsOf(expected);
    }

    @Test
    void theJavaArchiveTgzRunsVersionAndValidateOnThisJvm() throws Exception {
        Path home = unpack(JAVA_ARCHIVE.resolve("gateway-" + VERSION + ".tgz"));
        assertRunsVersionAndValidate(home, javaHomeEnv());
    }

    @Test
    void theLauncherUsesTheDefaultJvmOptionsUnlessGatewayJavaOptsReplacesThem() throws Exception {
        Path home = unpack(JAVA_ARCHIVE.resolve("gateway-" + VERSION + ".tgz"));
        Map<String, String> env = javaHomeEnv();
        env.put("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
        Result defaults = run(env, home.resolve("bin/gateway").toString(), "--version");
        assertThat(defaults.code()).as(defaults.all()).isZero();
        assertThat(flagsLine(defaults)).contains(DEFAULT_FLAGS);

        env.put("GATEWAY_JAVA_OPTS", "-Xss1m -XX:+UseParallelGC");
        Result replaced = run(env, home.resolve("bin/gateway").toString(), "--version");
        assertThat(replaced.code()).as(replaced.all()).isZero();
        assertThat(flagsLine(replaced)).contains("-XX:ThreadStackSize=1024", "-XX:+UseParallelGC")
                .doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void theJavaArchiveShipsACompletionScriptThatCompletesCommandsAndOptions() throws Exception {
        Path home = unpack(JAVA_ARCHIVE.resolve("gateway-" + VERSION + ".zip"));
        Path script = home.resolve("share/bash-completion/completions/gateway");
        Result printed = run(javaHomeEnv(), home.resolve("bin/gateway").toString(), "completion");
        assertThat(printed.code()).as(printed.all()).isZero();
        assertThat(printed.out()).isEqualTo(Files.readString(script));

        assertThat(complete(script, "gateway", "val")).containsExactly("validate");
        assertThat(complete(script, "gateway", "token-")).containsExactlyInAnyOrder("token-test", "token-sign");
        assertThat(complete(script, "gateway", "validate", "--fo")).containsExactly("--format");
    }

    @Test
    void theJlinkImageRunsOnItsOwnRuntimeFromItsAotCacheAndProxies() throws Exception {
        Path home = unpack(JLINK.resolve("gateway-" + VERSION + "-" + platform() + ".tar.gz"));
        assertThat(home.resolve("bin/java")).isRegularFile();
        assertThat(home.resolve("jars/gateway.aot")).isRegularFile();
        // jreleaser writes the launcher template unchanged, so the AOT training ran the very same launcher
        assertThat(Files.readString(home.resolve("bin/gateway")))
                .isEqualTo(Files.readString(Path.of("src/jreleaser/launcher/bin/launcher.tpl")));

        // no JAVA_HOME worth using and no java on PATH: the image needs neither
        Map<String, String> env = cleanEnv();
        env.put("JAVA_HOME", dir.resolve("no-such-jdk").toString());
        env.put("PATH", "/usr/bin:/bin");
        assertRunsVersionAndValidate(home, env);

        // the classes come from the AOT cache that was trained at build time: it survived archive and unpack
        env.put("GATEWAY_JAVA_OPTS", "-Xlog:class+load=info");
        Result loaded = run(env, home.resolve("bin/gateway").toString(), "--version");
        assertThat(loaded.code()).as(loaded.all()).isZero();
        assertThat(loaded.out()).contains("dev.gateway.cli.Main source: shared objects file");
        env.remove("GATEWAY_JAVA_OPTS");

        assertProxies(home, env);
    }

    /** {@code gateway --version} names this build; {@code gateway validate} accepts the shipped example. */
    private void assertRunsVersionAndValidate(Path home, Map<String, String> env) throws Exception {
        Result version = run(env, home.resolve("bin/gateway").toString(), "--version");
        assertThat(version.code()).as(version.all()).isZero();
        List<String> lines = version.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("gateway " + VERSION);
        String commit = Files.isDirectory(Path.of(".git")) ? "[0-9a-f]{8}(-dirty)?" : "unknown";
        assertThat(lines.get(1)).matches("commit " + commit + ", built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(lines.get(2)).startsWith("Java ");

        Path example = home.resolve("gateway.yaml.example");
        Result validate = run(env, home.resolve("bin/gateway").toString(), "validate", "--config", example.toString());
        assertThat(validate.code()).as(validate.all()).isZero();
        assertThat(validate.out()).contains(example + ": valid (0 error(s)");
    }

    /** The image's {@code gateway serve} proxies to its {@code gateway echo} and exits 0 on SIGTERM. */
    private void assertProxies(Path home, Map<String, String> env) throws Exception {
        String gateway = home.resolve("bin/gateway").toString();
        Process echo = start(env, "echo.log", gateway, "echo", "--port", "0");
        try {
            int echoPort = awaitPort(echo, dir.resolve("echo.log"));
            Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                    listen: { host: 127.0.0.1 }
                    upstreams:
                      echo: { targets: [ "http://127.0.0.1:%d" ] }
                    routes:
                      - { name: all, path: /api/**, upstream: echo, auth: public, strip-prefix: /api }
                    """.formatted(echoPort));
            Process serve = start(env, "serve.log", gateway, "serve", "--config", config.toString(), "--port", "0");
            try {
                int port = awaitPort(serve, dir.resolve("serve.log"));
                try (HttpClient client = HttpClient.newHttpClient()) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/hello")).timeout(TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).contains("\"path\":\"/hello\"");
                }
                serve.toHandle().destroy(); // SIGTERM
                assertThat(serve.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(serve.exitValue()).as(Files.readString(dir.resolve("serve.log"))).isZero();
            } finally {
                serve.destroyForcibly();
            }
        } finally {
            echo.destroyForcibly();
        }
    }

    /** Unpacks {@code archive} with unzip or tar into a fresh folder; returns its one top folder. */
    private Path unpack(Path archive) throws Exception {
        assertThat(archive).as("assembled by jreleaser:assemble in the package phase").isRegularFile();
        Path into = Files.createTempDirectory(dir, "unpacked");
        String name = archive.getFileName().toString();
        Result r = name.endsWith(".zip")
                ? run(cleanEnv(), "unzip", "-q", archive.toAbsolutePath().toString(), "-d", into.toString())
                : run(cleanEnv(), "tar", "-xzf", archive.toAbsolutePath().toString(), "-C", into.toString());
        assertThat(r.code()).as(r.all()).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> entries = top.toList();
            assertThat(entries).hasSize(1);
            return entries.get(0);
        }
    }

    /** What bash completion offers for the words typed so far (the last one is being completed). */
    private List<String> complete(Path script, String... words) throws Exception {
        String typed = Stream.of(words).map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        Result r = run(cleanEnv(), "bash", "-c", "source '" + script + "'; COMP_WORDS=(" + typed + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + String.join(" ", words) + "'; _complete_gateway; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(r.code()).as(r.all()).isZero();
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String flagsLine(Result r) {
        return r.out().lines().filter(l -> l.contains("-XX:")).findFirst().orElse("");
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** jreleaser's name for this machine's platform, as in the jlink image's file name. */
    private static String platform() {
        String arch = System.getProperty("os.arch");
        return "linux-" + switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> arch;
        };
    }

    /** The environment without the variables that would steer the launcher or the JVM. */
    private static Map<String, String> cleanEnv() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        for (String k : List.of("JAVA_HOME", "GATEWAY_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
                "_JAVA_OPTIONS", "AUTH_URL", "JWT_SECRET", "REDIS_URL")) {
            env.remove(k);
        }
        return env;
    }

    /** The clean environment with JAVA_HOME at the JVM running this test (the java-archive brings no runtime). */
    private static Map<String, String> javaHomeEnv() {
        Map<String, String> env = cleanEnv();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private Result run(Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + TIMEOUT);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Process start(Map<String, String> env, String log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve(log).toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits for the "listening on http://127.0.0.1:PORT" line a started command logs; returns PORT. */
    private static int awaitPort(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!p.isAlive()) throw new AssertionError("exited " + p.exitValue() + ":\n" + Files.readString(log));
            Thread.sleep(50);
        }
        throw new AssertionError("not listening within " + TIMEOUT + ":\n" + Files.readString(log));
    }
}
