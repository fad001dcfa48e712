package dev.gateway.proxy;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gateway.config.UpstreamConfig.Balance;

/** Picks the target for the next request among an upstream's targets, honouring weights. Thread-safe. */
interface Balancer {
    Target pick();

    static Balancer of(Balance balance, List<Target> targets) {
        if (targets.size() == 1) {
            Target only = targets.getFirst();
            return () -> only;
        }
        return switch (balance) {
            case ROUND_ROBIN -> new RoundRobin(targets);
            case RANDOM -> new WeightedRandom(targets);
            case LEAST_REQUESTS -> new LeastRequests(new WeightedRandom(targets));
        };
    }

    /** Smooth weighted round robin (as nginx does it), precomputed into one cycle and walked by a counter. */
    final class RoundRobin implements Balancer {
        private final Target[] cycle;
        private final AtomicInteger next = new AtomicInteger();

        RoundRobin(List<Target> targets) {
            int total = targets.stream().mapToInt(Target::weight).sum();
            int[] current = new int[targets.size()];
            cycle = new Target[total];
            for (int slot = 0; slot < total; slot++) {
                int best = 0;
                for (int i = 0; i < current.length; i++) {
                    current[i] += targets.get(i).weight();
                    if (current[i] > current[best]) best = i;
                }
                current[best] -= total;
                cycle[slot] = targets.get(best);
            }
        }

        @Override
        public Target pick() {
            return cycle[Math.floorMod(next.getAndIncrement(), cycle.length)];
        }
    }

    /** Picks a target with probability proportional to its weight. */
    final class WeightedRandom implements Balancer {
        private final Target[] targets;
        private final int[] cumulative;

        WeightedRandom(List<Target> targets) {
            this.targets = targets.toArray(Target[]::new);
            this.cumulative = new int[this.targets.length];
            int sum = 0;
            for (int i = 0; i < this.targets.length; i++) {
                sum += this.targets[i].weight();
                cumulative[i] = sum;
            }
        }

        @Override
        public Target pick() {
            int r = ThreadLocalRandom.current().nextInt(cumulative[cumulative.length - 1]);
            for (int i = 0; i < cumulative.length; i++) {
                if (r < cumulative[i]) return targets[i];
            }
            return targets[targets.length - 1];
        }
    }

    /** Power of two choices: of two weighted-random picks, the one with fewer requests in flight per weight. */
    record LeastRequests(WeightedRandom random) implements Balancer {
        @Override
        public Target pick() {
            Target a = random.pick();
            Target b = random.pick();
            if (a == b) b = random.pick();
            return (long) a.inFlight() * b.weight() <= (long) b.inFlight() * a.weight() ? a : b;
        }
    }
}
