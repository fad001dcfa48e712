package dev.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.gateway.config.ResilienceConfig;
import org.junit.jupiter.api.Test;

class TargetStateTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> log = new ArrayList<>();
    private final ResilienceConfig.HealthCheck health = new ResilienceConfig.HealthCheck("/h", Duration.ofSeconds(1),
            Duration.ofMillis(100), 2, 3);
    private final ResilienceConfig.Outlier outlier = new ResilienceConfig.Outlier(3, Duration.ofSeconds(30), 50);

    private TargetState state(String name) {
        return new TargetState(name, health, outlier, now::get, log::add);
    }

    @Test
    void healthFlipsAfterTheConfiguredStreaksAndEachTransitionIsLoggedOnce() {
        TargetState t = state("t");
        t.checked(false, "HTTP 503");
        assertThat(t.available()).isTrue();
        t.checked(false, "HTTP 503");
        t.checked(false, "HTTP 503");
        assertThat(t.available()).isFalse();
        t.checked(true, "");
        t.checked(true, "");
        assertThat(t.available()).isFalse();
        t.checked(true, "");
        t.checked(true, "");
        assertThat(t.available()).isTrue();
        assertThat(log).containsExactly("target t is unhealthy after 2 failed checks (HTTP 503)",
                "target t is healthy again after 3 passed checks");
    }

    @Test
    void consecutiveFailuresEjectForAWhileButNeverMoreThanTheMaxShare() {
        TargetState a = state("a");
        TargetState b = state("b");
        TargetState.group(List.of(a, b));
        a.requestFailed();
        a.requestFailed();
        a.requestSucceeded();
        a.requestFailed();
        a.requestFailed();
        assertThat(a.available()).as("a success resets the streak").isTrue();
        a.requestFailed();
        assertThat(a.available()).isFalse();
        for (int i = 0; i < 5; i++) b.requestFailed();
        assertThat(b.available()).as("ejecting b too would exceed 50%").isTrue();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(a.available()).isTrue();
        assertThat(log).containsExactly("target a ejected for 30s after 3 failures in a row",
                "target a is back in rotation after its ejection");
    }
}
