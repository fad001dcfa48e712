package dev.gateway.resilience;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.gateway.config.ResilienceConfig;

/**
 * What the gateway believes about one target: healthy by its active checks ({@code unhealthy-after} failed checks in
 * a row make it unhealthy, {@code healthy-after} passed ones healthy again) and not ejected by passive outlier
 * detection ({@code consecutive-failures} failed requests in a row eject it for {@code eject-for}, unless that would
 * eject more than {@code max-ejected} of the upstream's targets). Every transition is logged once. Thread-safe.
 */
public final class TargetState {
    private final String name;
    private final ResilienceConfig.HealthCheck health; // null: no active checks
    private final ResilienceConfig.Outlier outlier; // null: no ejection
    private final LongSupplier nanoClock;
    private final Consumer<String> log;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean ejected = new AtomicBoolean();
    private volatile long ejectedUntil;
    private volatile boolean healthy = true;
    private int checkStreak; // guarded by this: passes (positive) or failures (negative) in a row
    private volatile List<TargetState> siblings = List.of();

    public TargetState(String name, ResilienceConfig.HealthCheck health, ResilienceConfig.Outlier outlier,
                       LongSupplier nanoClock, Consumer<String> log) {
        this.name = name;
        this.health = health;
        this.outlier = outlier;
        this.nanoClock = nanoClock;
        this.log = log;
    }

    /** Ties the targets of one upstream together, for the max-ejected share. */
    public static void group(List<TargetState> states) {
        List<TargetState> all = List.copyOf(states);
        all.forEach(s -> s.siblings = all);
    }

    /** Whether the balancer should pick this target now. */
    public boolean available() {
        return healthy && !isEjected();
    }

    public boolean healthy() {
        return healthy;
    }

    /** Whether outlier detection has this target out of rotation now (logs its return once when the time is up). */
    public boolean isEjected() {
        if (!ejected.get()) return false;
        if (nanoClock.getAsLong() - ejectedUntil < 0) return true;
        if (ejected.compareAndSet(true, false)) {
            consecutiveFailures.set(0);
            log.accept("target " + name + " is back in rotation after its ejection");
        }
        return false;
    }

    /** A request to this target got an answer that is not a failure. */
    public void requestSucceeded() {
        if (consecutiveFailures.get() != 0) consecutiveFailures.set(0);
    }

    /** A request to this target failed (no connection, no answer in time, or 502/503/504). */
    public void requestFailed() {
        if (outlier == null) return;
        if (consecutiveFailures.incrementAndGet() < outlier.consecutiveFailures() || ejected.get()) return;
        long nowEjected = siblings.stream().filter(TargetState::isEjected).count();
        if ((nowEjected + 1) * 100 > (long) outlier.maxEjectedPercent() * Math.max(1, siblings.size())) return;
        ejectedUntil = nanoClock.getAsLong() + outlier.ejectFor().toNanos();
        if (ejected.compareAndSet(false, true)) {
            log.accept("target " + name + " ejected for " + outlier.ejectFor().toSeconds() + "s after "
                    + consecutiveFailures.get() + " failures in a row");
        }
    }

    /** The outcome of one active health check; {@code why} says what failed. */
    public synchronized void checked(boolean passed, String why) {
        if (health == null) return;
        checkStreak = passed ? Math.max(1, checkStreak + 1) : Math.min(-1, checkStreak - 1);
        if (healthy && !passed && -checkStreak >= health.unhealthyAfter()) {
            healthy = false;
            log.accept("target " + name + " is unhealthy after " + -checkStreak + " failed checks (" + why + ")");
        } else if (!healthy && passed && checkStreak >= health.healthyAfter()) {
            healthy = true;
            log.accept("target " + name + " is healthy again after " + checkStreak + " passed checks");
        }
    }

    public String name() {
        return name;
    }
}
