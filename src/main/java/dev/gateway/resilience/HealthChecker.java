package dev.gateway.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.gateway.config.ResilienceConfig;

/**
 * Active health checks of one upstream: every {@code interval} (jittered by ±20%, so gateways do not beat in step)
 * a GET of {@code path} on each target, with {@code timeout}; a 2xx answer passes. A target whose previous check has
 * not finished is skipped, so checks never pile up. Runs on virtual threads from {@link #start()} to {@link #close()}.
 */
public final class HealthChecker implements AutoCloseable {
    private final ResilienceConfig.HealthCheck config;
    private final Map<URI, TargetState> targets;
    private final Map<URI, Boolean> running = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private HttpClient client; // guarded by lock
    private Thread loop; // guarded by lock
    private boolean closed; // guarded by lock

    /** {@code targets}: each target's origin and state. Opens no socket until {@link #start()}. */
    public HealthChecker(ResilienceConfig.HealthCheck config, Map<URI, TargetState> targets) {
        this.config = config;
        this.targets = Map.copyOf(targets);
    }

    /** Starts checking, the first round at once. Idempotent. */
    public void start() {
        synchronized (lock) {
            if (closed || loop != null) return;
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            loop = Thread.ofVirtual().name("health-check").start(this::run);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (loop != null) loop.interrupt();
            if (client != null) client.shutdownNow();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            targets.forEach((origin, state) -> {
                if (running.putIfAbsent(origin, Boolean.TRUE) == null) {
                    Thread.ofVirtual().name("health-check-" + origin.getAuthority()).start(() -> check(origin, state));
                }
            });
            long interval = config.interval().toMillis();
            long jittered = interval + ThreadLocalRandom.current().nextLong(-interval / 5, interval / 5 + 1);
            try {
                Thread.sleep(Math.max(1, jittered));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(URI origin, TargetState state) {
        try {
            HttpClient http;
            synchronized (lock) {
                if (closed) return;
                http = client;
            }
            HttpRequest request = HttpRequest.newBuilder(origin.resolve(config.path())).timeout(config.timeout())
                    .header("User-Agent", "gateway-health-check").GET().build();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                state.checked(status / 100 == 2, "HTTP " + status);
            } catch (java.net.http.HttpTimeoutException e) {
                state.checked(false, "no answer within " + config.timeout().toMillis() + "ms");
            } catch (java.io.IOException e) {
                state.checked(false, e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            running.remove(origin);
        }
    }
}
