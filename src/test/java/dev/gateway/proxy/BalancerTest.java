package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gateway.config.UpstreamConfig.Balance;
import org.junit.jupiter.api.Test;

class BalancerTest {
    private final Target a = new Target(URI.create("http://a:80"), 1);
    private final Target b = new Target(URI.create("http://b:80"), 2);

    @Test
    void roundRobinHonoursWeightsExactlyOverEachCycleAndInterleaves() {
        Balancer rr = Balancer.of(Balance.ROUND_ROBIN, List.of(a, b));
        Map<Target, Integer> counts = new HashMap<>();
        String sequence = "";
        for (int i = 0; i < 300; i++) {
            Target t = rr.pick();
            counts.merge(t, 1, Integer::sum);
            if (i < 3) sequence += t == a ? "a" : "b";
        }
        assertThat(counts).containsEntry(a, 100).containsEntry(b, 200);
        assertThat(sequence).as("smooth interleaving, not a,b,b").isEqualTo("bab");
    }

    @Test
    void randomFollowsWeightsRoughly() {
        Balancer random = Balancer.of(Balance.RANDOM, List.of(a, b));
        int bs = 0;
        for (int i = 0; i < 30_000; i++) if (random.pick() == b) bs++;
        assertThat(bs).isBetween(19_000, 21_000);
    }

    @Test
    void leastRequestsAvoidsTheBusyTarget() {
        Target c = new Target(URI.create("http://c:80"), 1);
        Target d = new Target(URI.create("http://d:80"), 1);
        for (int i = 0; i < 50; i++) c.begin();
        Balancer least = Balancer.of(Balance.LEAST_REQUESTS, List.of(c, d));
        int ds = 0;
        for (int i = 0; i < 1000; i++) if (least.pick() == d) ds++;
        // c only wins when both random picks land on it (a quarter of the time, then re-picked once)
        assertThat(ds).isGreaterThan(800);
    }

    @Test
    void singleTargetIsAlwaysPicked() {
        Balancer one = Balancer.of(Balance.LEAST_REQUESTS, List.of(a));
        assertThat(one.pick()).isSameAs(a);
    }
}
