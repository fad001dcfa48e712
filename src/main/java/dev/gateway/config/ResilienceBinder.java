package dev.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Binds an upstream's {@code health-check}, {@code outlier}, {@code retry}, {@code circuit-breaker} and
 * {@code max-concurrent-requests}; absent keys inside a written part take its documented defaults.
 */
final class ResilienceBinder {
    static final List<String> KEYS = List.of("health-check", "outlier", "retry", "circuit-breaker",
            "max-concurrent-requests");
    static final List<String> HEALTH_KEYS = List.of("path", "interval", "timeout", "unhealthy-after", "healthy-after");
    static final List<String> OUTLIER_KEYS = List.of("consecutive-failures", "eject-for", "max-ejected");
    static final List<String> RETRY_KEYS = List.of("attempts", "backoff", "max-backoff", "jitter", "on", "methods",
            "budget");
    static final List<String> BREAKER_KEYS = List.of("failure-ratio", "minimum-requests", "window", "open-for",
            "half-open-requests");
    private static final List<String> CONDITIONS = List.of("connect-failure", "timeout");

    private final NodeReader reader;
    private final Findings findings;

    ResilienceBinder(NodeReader reader) {
        this.reader = reader;
        this.findings = reader.findings();
    }

    /** The parts written in upstream {@code f} (at {@code path}); null after recording errors. */
    ResilienceConfig bind(Fields f) {
        boolean ok = true;
        Optional<ResilienceConfig.HealthCheck> health = Optional.empty();
        if (f.get("health-check") != null) {
            health = Optional.ofNullable(health(f.get("health-check"), f.child("health-check")));
            ok &= health.isPresent();
        }
        Optional<ResilienceConfig.Outlier> outlier = Optional.empty();
        if (f.get("outlier") != null) {
            outlier = Optional.ofNullable(outlier(f.get("outlier"), f.child("outlier")));
            ok &= outlier.isPresent();
        }
        Optional<ResilienceConfig.Retry> retry = Optional.empty();
        if (f.get("retry") != null) {
            retry = Optional.ofNullable(retry(f.get("retry"), f.child("retry")));
            ok &= retry.isPresent();
        }
        Optional<ResilienceConfig.CircuitBreaker> breaker = Optional.empty();
        if (f.get("circuit-breaker") != null) {
            breaker = Optional.ofNullable(breaker(f.get("circuit-breaker"), f.child("circuit-breaker")));
            ok &= breaker.isPresent();
        }
        int maxConcurrent = 0;
        if (f.get("max-concurrent-requests") != null) {
            Integer n = reader.integer(f.get("max-concurrent-requests"), f.child("max-concurrent-requests"), 1, 1_000_000);
            ok &= n != null;
            maxConcurrent = n == null ? 0 : n;
        }
        return ok ? new ResilienceConfig(health, outlier, retry, breaker, maxConcurrent) : null;
    }

    private ResilienceConfig.HealthCheck health(Node node, String path) {
        Fields f = reader.fields(node, path, HEALTH_KEYS);
        if (f == null) return null;
        ResilienceConfig.HealthCheck d = ResilienceConfig.HealthCheck.DEFAULTS;
        String checkPath = d.path();
        if (f.get("path") != null) {
            checkPath = reader.nonBlank(f.get("path"), f.child("path"));
            if (checkPath != null && (!checkPath.startsWith("/") || checkPath.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f))) {
                findings.error(f.get("path"), f.child("path"), "must be a path starting with / without spaces (got '"
                        + checkPath + "')");
                checkPath = null;
            }
        }
        Duration interval = duration(f, "interval", d.interval());
        Duration timeout = duration(f, "timeout", d.timeout());
        Integer unhealthy = count(f, "unhealthy-after", d.unhealthyAfter(), 100);
        Integer healthy = count(f, "healthy-after", d.healthyAfter(), 100);
        if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
            findings.error(f.get("timeout"), f.child("timeout"), "must not be longer than the interval ("
                    + interval.toMillis() + "ms): checks would pile up");
            timeout = null;
        }
        return checkPath == null || interval == null || timeout == null || unhealthy == null || healthy == null ? null
                : new ResilienceConfig.HealthCheck(checkPath, interval, timeout, unhealthy, healthy);
    }

    private ResilienceConfig.Outlier outlier(Node node, String path) {
        Fields f = reader.fields(node, path, OUTLIER_KEYS);
        if (f == null) return null;
        ResilienceConfig.Outlier d = ResilienceConfig.Outlier.DEFAULTS;
        Integer failures = count(f, "consecutive-failures", d.consecutiveFailures(), 1000);
        Duration ejectFor = duration(f, "eject-for", d.ejectFor());
        Integer maxEjected = percent(f, "max-ejected", d.maxEjectedPercent());
        return failures == null || ejectFor == null || maxEjected == null ? null
                : new ResilienceConfig.Outlier(failures, ejectFor, maxEjected);
    }

    private ResilienceConfig.Retry retry(Node node, String path) {
        Fields f = reader.fields(node, path, RETRY_KEYS);
        if (f == null) return null;
        ResilienceConfig.Retry d = ResilienceConfig.Retry.DEFAULTS;
        Integer attempts = count(f, "attempts", d.attempts(), 10);
        Duration backoff = duration(f, "backoff", d.backoff());
        Duration maxBackoff = duration(f, "max-backoff", d.maxBackoff());
        if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            findings.error(f.get("max-backoff"), f.child("max-backoff"), "must not be shorter than backoff ("
                    + backoff.toMillis() + "ms)");
            maxBackoff = null;
        }
        Boolean jitter = f.get("jitter") == null ? Boolean.valueOf(d.jitter()) : reader.bool(f.get("jitter"), f.child("jitter"));
        boolean connect = d.onConnectFailure();
        boolean timeout = d.onTimeout();
        Set<Integer> statuses = d.onStatus();
        boolean onOk = true;
        if (f.get("on") != null) {
            List<String> on = reader.strings(f.get("on"), f.child("on"));
            onOk = on != null;
            connect = false;
            statuses = new HashSet<>();
            for (String item : on == null ? List.<String>of() : on) {
                if (item.equals("connect-failure")) {
                    connect = true;
                } else if (item.equals("timeout")) {
                    timeout = true;
                } else if (item.matches("5[0-9][0-9]")) {
                    statuses.add(Integer.parseInt(item));
                } else {
                    findings.error(f.get("on"), f.child("on"), "unknown retry condition '" + item
                            + "' (expected connect-failure, timeout or a 5xx status such as 503)"
                            + Suggestions.didYouMean(item, CONDITIONS));
                    onOk = false;
                }
            }
        }
        List<String> methods = d.methods();
        if (f.get("methods") != null) {
            List<String> given = reader.strings(f.get("methods"), f.child("methods"));
            methods = given == null ? null : given.stream().map(m -> m.toUpperCase(Locale.ROOT)).distinct().toList();
            if (methods != null && methods.stream().anyMatch(m -> !m.matches("[A-Z]+"))) {
                findings.error(f.get("methods"), f.child("methods"), "methods must be HTTP method names");
                methods = null;
            }
        }
        Integer budget = percent(f, "budget", d.budgetPercent());
        return attempts == null || backoff == null || maxBackoff == null || jitter == null || !onOk || methods == null
                || budget == null ? null : new ResilienceConfig.Retry(attempts, backoff, maxBackoff, jitter, connect,
                timeout, statuses, methods, budget);
    }

    private ResilienceConfig.CircuitBreaker breaker(Node node, String path) {
        Fields f = reader.fields(node, path, BREAKER_KEYS);
        if (f == null) return null;
        ResilienceConfig.CircuitBreaker d = ResilienceConfig.CircuitBreaker.DEFAULTS;
        Integer ratio = percent(f, "failure-ratio", d.failureRatioPercent());
        if (ratio != null && ratio == 0) {
            findings.error(f.get("failure-ratio"), f.child("failure-ratio"), "must be more than 0%");
            ratio = null;
        }
        Integer minimum = count(f, "minimum-requests", d.minimumRequests(), 100_000);
        Duration window = duration(f, "window", d.window());
        Duration openFor = duration(f, "open-for", d.openFor());
        Integer halfOpen = count(f, "half-open-requests", d.halfOpenRequests(), 1000);
        return ratio == null || minimum == null || window == null || openFor == null || halfOpen == null ? null
                : new ResilienceConfig.CircuitBreaker(ratio, minimum, window, openFor, halfOpen);
    }

    private Duration duration(Fields f, String key, Duration fallback) {
        return f.get(key) == null ? fallback : reader.duration(f.get(key), f.child(key), false);
    }

    private Integer count(Fields f, String key, int fallback, int max) {
        return f.get(key) == null ? Integer.valueOf(fallback) : reader.integer(f.get(key), f.child(key), 1, max);
    }

    /** {@code 50%} (or a bare 50): 0 to 100. */
    private Integer percent(Fields f, String key, int fallback) {
        Node node = f.get(key);
        if (node == null) return fallback;
        String text = reader.string(node, f.child(key));
        if (text == null) return null;
        String digits = text.strip().endsWith("%") ? text.strip().substring(0, text.strip().length() - 1).strip()
                : text.strip();
        if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > 100) {
            findings.error(node, f.child(key), "expected a percentage from 0% to 100% (got '" + text + "')");
            return null;
        }
        return Integer.parseInt(digits);
    }
}
