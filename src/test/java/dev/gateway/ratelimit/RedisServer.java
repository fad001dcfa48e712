package dev.gateway.ratelimit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, run as a child process (never daemonized) on free 127.0.0.1 ports with
 * persistence off; {@link #cluster(int)} starts several nodes and joins them into one Redis Cluster. It can be
 * killed (SIGKILL), paused (SIGSTOP) and restarted on the same ports; {@link #close()} (or, failing that, JVM exit)
 * kills every node and deletes its directory. Throws, never skips, when {@code redis-server} is not installed.
 * Not thread-safe.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final Path dir;
    private final boolean cluster;
    private final List<Integer> ports;
    private final List<Process> processes = new ArrayList<>();
    private final Thread cleanup = new Thread(this::killAll, "redis-server-cleanup");

    private RedisServer(Path dir, boolean cluster, List<Integer> ports) {
        this.dir = dir;
        this.cluster = cluster;
        this.ports = List.copyOf(ports);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** One standalone server on a free port. */
    public static RedisServer start() {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(freePort(false));
            } catch (IllegalStateException e) {
                // another process took the free port before redis-server bound it: rare, so try again
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("in use")) throw e;
            }
        }
    }

    /** One standalone server on {@code port} (say, one a store is already trying to reach). */
    public static RedisServer start(int port) {
        RedisServer server = new RedisServer(tempDir(), false, List.of(port));
        return server.boot();
    }

    /** {@code nodes} masters (no replicas) joined into one cluster with all 16384 slots assigned and state ok. */
    public static RedisServer cluster(int nodes) {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < nodes) {
            int port = freePort(true);
            if (!ports.contains(port)) ports.add(port);
        }
        RedisServer server = new RedisServer(tempDir(), true, ports);
        try {
            server.startAll();
            List<String> create = new ArrayList<>(List.of(executable("redis-cli"), "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Path log = server.dir.resolve("cluster-create.log");
            Process joining = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!joining.waitFor(30, TimeUnit.SECONDS) || joining.exitValue() != 0) {
                joining.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + Files.readString(log));
            }
            server.awaitClusterOk();
            return server;
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A port nothing listens on now (for a cluster node, its bus port, 10000 higher, is free too). */
    static int freePort(boolean withBusPort) {
        while (true) {
            try (ServerSocket socket = bind(0)) {
                int port = socket.getLocalPort();
                if (!withBusPort) return port;
                if (port + 10000 > 65535) continue;
                try {
                    bind(port + 10000).close();
                    return port;
                } catch (IOException busTaken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public int port() {
        return ports.getFirst();
    }

    public List<Integer> ports() {
        return ports;
    }

    /** The URI a {@link RedisStore} is given: {@code redis://…} or {@code redis-cluster://h1:p1,h2:p2,…}. */
    public String uri() {
        if (!cluster) return "redis://127.0.0.1:" + port();
        return "redis-cluster://" + String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /** SIGKILLs every node and waits until they are gone; the ports are free again at once. */
    public void kill() {
        killAll();
    }

    /** SIGKILLs the node on {@code ports().get(index)} only. */
    public void kill(int index) {
        Process process = processes.get(index);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the killed nodes again on the same ports; their data is gone, their cluster membership is not. */
    public RedisServer restart() {
        for (int i = 0; i < ports.size(); i++) {
            if (!processes.get(i).isAlive()) processes.set(i, startNode(ports.get(i)));
        }
        for (int i = 0; i < ports.size(); i++) awaitPong(ports.get(i), processes.get(i));
        if (cluster) awaitClusterOk();
        return this;
    }

    /** SIGSTOP: the server keeps its connections open but answers nothing (a slow Redis), until {@link #resume()}. */
    public void pause() {
        signal("-STOP");
    }

    public void resume() {
        signal("-CONT");
    }

    /** Sends one command to the first node and returns its reply as text (errors start with "-"). */
    public String command(String... args) {
        return command(port(), args);
    }

    /** Sends one command to the node on {@code port}; arrays come back one element a line. */
    static String command(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    private RedisServer boot() {
        try {
            startAll();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() {
        for (int port : ports) processes.add(startNode(port));
        for (int i = 0; i < ports.size(); i++) awaitPong(ports.get(i), processes.get(i));
    }

    private Process startNode(int port) {
        List<String> args = new ArrayList<>(List.of(executable("redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--daemonize", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", "",
                "--loglevel", "warning", "--databases", "1"));
        if (cluster) {
            args.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "5000"));
        }
        try {
            return new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(port).toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPong(int port, Process process) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            if (!process.isAlive()) throw new IllegalStateException("redis-server on port " + port + " exited with "
                    + process.exitValue() + ":\n" + readLog(port));
            try {
                if (command(port, "PING").equals("PONG")) return;
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("redis-server on port " + port + " does not answer PING:\n"
                        + readLog(port));
            }
            sleep(Duration.ofMillis(10));
        }
    }

    private void awaitClusterOk() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        for (int port : ports) {
            while (true) {
                String info = command(port, "CLUSTER", "INFO");
                if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + ports.size())) break;
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("cluster node " + port + " is not ok:\n" + info);
                }
                sleep(Duration.ofMillis(20));
            }
        }
    }

    private void signal(String signal) {
        for (Process process : processes) {
            try {
                Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
                if (kill.waitFor() != 0) throw new IllegalStateException("kill " + signal + " failed");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void killAll() {
        for (Process process : processes) process.destroyForcibly(); // SIGKILL, also when paused
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Path log(int port) {
        return dir.resolve("redis-" + port + ".log");
    }

    private String readLog(int port) {
        try {
            return Files.readString(log(port));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The program's path on PATH; throws (so a test fails, never skips) when it is not installed. */
    private static String executable(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        throw new IllegalStateException(name + " is not on PATH: Redis tests need a real server and never skip;"
                + " install it (apt-get install -y redis-server)");
    }

    private static String reply(InputStream in) throws IOException {
        String line = line(in);
        return switch (line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '-' -> line;
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) yield "(nil)";
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) items.add(reply(in));
                yield String.join("\n", items);
            }
            default -> throw new IOException("unexpected reply: " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed");
            if (previous == '\r' && b == '\n') break;
            if (previous >= 0) bytes.write(previous);
            previous = b;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static Path tempDir() {
        executable("redis-server");
        try {
            return Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
