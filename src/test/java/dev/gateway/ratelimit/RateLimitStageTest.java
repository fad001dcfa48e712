package dev.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.gateway.config.RateLimitPolicyConfig;
import dev.gateway.config.RateLimitPolicyConfig.Key;
import org.junit.jupiter.api.Test;

class RateLimitStageTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final MemoryStore store = new MemoryStore(now::get);

    private static RateLimitPolicyConfig policy(String name, long perSecond, long burst, Key key, boolean global) {
        return new RateLimitPolicyConfig(name, perSecond, Duration.ofSeconds(1), burst, key,
                key == Key.HEADER ? Optional.of("x-api-key") : Optional.empty(), global);
    }

    private static Map<String, String> headers(RateLimitDecision d) {
        List<Map.Entry<String, String>> list = switch (d) {
            case RateLimitDecision.Pass p -> p.headers();
            case RateLimitDecision.Limited l -> l.headers();
            case RateLimitDecision.Unavailable u -> List.of();
        };
        return Map.ofEntries(list.toArray(Map.Entry[]::new));
    }

    @Test
    void burstPassesThenA429WithRetryAfterUntilATokenIsEarned() {
        RateLimitStage stage = new RateLimitStage(store, true, List.of(policy("per-ip", 2, 3, Key.IP, false)), "r");
        for (int i = 2; i >= 0; i--) {
            RateLimitDecision d = stage.check("1.2.3.4", null, h -> null);
            assertThat(d).isInstanceOf(RateLimitDecision.Pass.class);
            assertThat(headers(d)).containsEntry("RateLimit-Limit", "3").containsEntry("RateLimit-Remaining", "" + i);
        }
        RateLimitDecision limited = stage.check("1.2.3.4", null, h -> null);
        assertThat(limited).isInstanceOf(RateLimitDecision.Limited.class);
        assertThat(headers(limited)).containsEntry("Retry-After", "1").containsEntry("RateLimit-Remaining", "0")
                .containsEntry("RateLimit-Reset", "2");
        assertThat(stage.check("5.6.7.8", null, h -> null)).as("another client").isInstanceOf(RateLimitDecision.Pass.class);
        now.addAndGet(499_000_000L);
        assertThat(stage.check("1.2.3.4", null, h -> null)).isInstanceOf(RateLimitDecision.Limited.class);
        now.addAndGet(1_000_000L);
        assertThat(stage.check("1.2.3.4", null, h -> null)).as("half a second earns one token at 2/s")
                .isInstanceOf(RateLimitDecision.Pass.class);
    }

    @Test
    void keysAreTheSubjectOrAHeaderFallingBackToTheIp() {
        RateLimitStage users = new RateLimitStage(store, true, List.of(policy("per-user", 1, 1, Key.USER, false)), "r");
        assertThat(users.check("1.1.1.1", "alice", h -> null)).isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(users.check("2.2.2.2", "alice", h -> null)).as("alice from elsewhere")
                .isInstanceOf(RateLimitDecision.Limited.class);
        assertThat(users.check("1.1.1.1", "bob", h -> null)).isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(users.check("1.1.1.1", null, h -> null)).as("anonymous: by ip").isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(users.check("1.1.1.1", null, h -> null)).isInstanceOf(RateLimitDecision.Limited.class);

        RateLimitStage keys = new RateLimitStage(store, true, List.of(policy("per-key", 1, 1, Key.HEADER, false)), "r");
        assertThat(keys.check("1.1.1.1", null, h -> h.equals("x-api-key") ? "k1" : null)).isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(keys.check("1.1.1.1", null, h -> h.equals("x-api-key") ? "k1" : null)).isInstanceOf(RateLimitDecision.Limited.class);
        assertThat(keys.check("1.1.1.1", null, h -> h.equals("x-api-key") ? "k2" : null)).isInstanceOf(RateLimitDecision.Pass.class);
        String longKey = "k".repeat(500);
        assertThat(keys.check("1.1.1.1", null, h -> longKey)).isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(keys.check("1.1.1.1", null, h -> longKey)).isInstanceOf(RateLimitDecision.Limited.class);
    }

    @Test
    void routeScopedPoliciesCountPerRouteAndGlobalOnesAcrossRoutes() {
        RateLimitPolicyConfig perRoute = policy("p", 1, 1, Key.IP, false);
        RateLimitPolicyConfig global = policy("g", 1, 1, Key.IP, true);
        assertThat(new RateLimitStage(store, true, List.of(perRoute), "a").check("ip", null, h -> null))
                .isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(new RateLimitStage(store, true, List.of(perRoute), "b").check("ip", null, h -> null))
                .isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(new RateLimitStage(store, true, List.of(global), "a").check("ip", null, h -> null))
                .isInstanceOf(RateLimitDecision.Pass.class);
        assertThat(new RateLimitStage(store, true, List.of(global), "b").check("ip", null, h -> null))
                .isInstanceOf(RateLimitDecision.Limited.class);
    }

    @Test
    void theTightestPolicyGivesTheHeadersAndAnEmptyOneLimits() {
        RateLimitStage stage = new RateLimitStage(store, true, List.of(policy("wide", 100, 100, Key.IP, false),
                policy("narrow", 1, 2, Key.IP, false)), "r");
        assertThat(headers(stage.check("ip", null, h -> null))).containsEntry("RateLimit-Limit", "2")
                .containsEntry("RateLimit-Remaining", "1");
        stage.check("ip", null, h -> null);
        RateLimitDecision d = stage.check("ip", null, h -> null);
        assertThat(d).isInstanceOfSatisfying(RateLimitDecision.Limited.class,
                l -> assertThat(l.policy()).isEqualTo("narrow"));
    }

    @Test
    void aStoreThatCannotAnswerFailsOpenOrDeniesAsConfigured() {
        BucketStore down = new BucketStore() {
            @Override
            public Take take(String key, BucketSpec spec) throws StoreUnavailable {
                throw new StoreUnavailable("connection refused", null);
            }

            @Override
            public String describe() {
                return "down";
            }

            @Override
            public void close() {
            }
        };
        List<RateLimitPolicyConfig> p = List.of(policy("p", 1, 1, Key.IP, false));
        // fails open, without RateLimit-* headers, and says the store failed (so the metrics count a store error)
        assertThat(new RateLimitStage(down, true, p, "r").check("ip", null, h -> null))
                .isEqualTo(new RateLimitDecision.Pass(List.of(), true));
        assertThat(new RateLimitStage(down, false, p, "r").check("ip", null, h -> null))
                .isInstanceOf(RateLimitDecision.Unavailable.class);
    }
}
