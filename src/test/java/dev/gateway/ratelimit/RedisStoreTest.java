package dev.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RedisStore} against real redis-server processes started (and killed, paused, restarted) by the test. */
class RedisStoreTest {
    private static final long MS = 1_000_000;
    private static final long SECOND = 1000 * MS;
    private static final long HOUR = 3600 * SECOND;
    /** Never runs dry (a million tokens) and its key expires a millisecond after each take: for polling. */
    private static final BucketSpec PROBE = new BucketSpec(1_000_000, MS);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);
    /** How long a failing take may block: the command timeout plus a margin for scheduling. */
    private static final Duration FAIL_WITHIN = Duration.ofMillis(1000);

    private final List<String> warns = new CopyOnWriteArrayList<>();
    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** What each store had counted when {@link #connected} handed it out. */
    private final Map<RedisStore, Long> failuresBefore = new ConcurrentHashMap<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources.reversed()) resource.close();
    }

    @Test
    void exactlyTheBurstOfManyConcurrentTakesIsAllowed() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(50, HOUR);

        List<Take> takes = concurrently(200, i -> store, "exact", spec);

        assertExactlyBurstAllowed(takes, spec);
        assertThat(takes).filteredOn(t -> !t.allowed()).allSatisfy(t -> {
            assertThat(t.remaining()).isZero();
            assertThat(t.retryAfterNanos()).isBetween(HOUR - 10 * SECOND, HOUR);
            assertThat(t.resetNanos()).isBetween(50 * HOUR - 10 * SECOND, 50 * HOUR);
        });
        assertThat(failures(store)).isZero();
        assertThat(warns).isEmpty();
    }

    @Test
    void twoStoresOnOneServerShareOneExactBudget() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore a = connected(redis.uri(), TIMEOUT);
        RedisStore b = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(40, HOUR);

        assertThat(a.take("shared", spec).remaining()).isEqualTo(39);
        assertThat(a.take("shared", spec).remaining()).isEqualTo(38);
        assertThat(b.take("shared", spec).remaining()).as("b sees a's takes").isEqualTo(37);

        List<Take> takes = concurrently(150, i -> i % 2 == 0 ? a : b, "shared", spec);

        assertThat(takes).filteredOn(Take::allowed).extracting(Take::remaining)
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 37).boxed().toList());
        assertThat(takes).filteredOn(Take::allowed).hasSize(37);
        assertThat(a.take("shared", spec).allowed()).isFalse();
        assertThat(b.take("shared", spec).allowed()).isFalse();
        assertThat(failures(a) + failures(b)).isZero();
    }

    @Test
    void remainingCountsDownAndResetAndRetryAfterFollowTheBucket() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(3, HOUR);
        long slack = SECOND; // time passing during the test, at most

        for (int taken = 1; taken <= 3; taken++) {
            Take take = store.take("countdown", spec);
            assertThat(take.allowed()).isTrue();
            assertThat(take.remaining()).isEqualTo(3 - taken);
            assertThat(take.retryAfterNanos()).isZero();
            assertThat(take.resetNanos()).as("full again after %d intervals", taken)
                    .isBetween(taken * HOUR - slack, taken * HOUR);
        }
        Take refused = store.take("countdown", spec);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterNanos()).isBetween(HOUR - slack, HOUR);
        assertThat(refused.resetNanos()).isBetween(3 * HOUR - slack, 3 * HOUR);
        assertThat(store.take("other", spec).remaining()).as("buckets are per key").isEqualTo(2);
    }

    @Test
    void aRefusedTakeSaysExactlyHowLongToWaitAndWaitingThatLongIsEnough() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(1, 2 * SECOND); // one request per 2 s
        long tolerance = 5 * MS; // clock resolution, and Redis' wall clock against our monotonic one

        long start1 = System.nanoTime();
        Take first = store.take("retry", spec);
        long end1 = System.nanoTime();
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isZero();
        assertThat(first.resetNanos()).isEqualTo(2 * SECOND);

        // the first take's Redis time r1 lies in [start1, end1]; a later take at r in [start, end] must say
        // retry = r1 + 2 s - r
        long start2 = System.nanoTime();
        Take second = store.take("retry", spec);
        long end2 = System.nanoTime();
        assertThat(second.allowed()).isFalse();
        assertThat(second.retryAfterNanos())
                .isBetween(start1 + 2 * SECOND - end2 - tolerance, end1 + 2 * SECOND - start2 + tolerance);
        assertThat(second.resetNanos()).as("burst 1: full again when the next token is due")
                .isEqualTo(second.retryAfterNanos());

        Thread.sleep(Duration.ofNanos(second.retryAfterNanos() - 300 * MS));
        long start3 = System.nanoTime();
        Take early = store.take("retry", spec);
        long end3 = System.nanoTime();
        assertThat(early.allowed()).as("300 ms too early").isFalse();
        assertThat(early.retryAfterNanos())
                .isBetween(start1 + 2 * SECOND - end3 - tolerance, end1 + 2 * SECOND - start3 + tolerance)
                .isLessThanOrEqualTo(300 * MS + tolerance);

        Thread.sleep(Duration.ofNanos(early.retryAfterNanos() + MS));
        Take later = store.take("retry", spec);
        assertThat(later.allowed()).as("after waiting Retry-After").isTrue();
        assertThat(later.remaining()).isZero();
        assertThat(System.nanoTime() - start1).as("not before the 2 s are up")
                .isGreaterThanOrEqualTo(2 * SECOND - tolerance);
    }

    @Test
    void oneRoundTripPerTakeByShaAndTheKeyExpiresWithinTheWindow() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(3, SECOND); // window 3 s
        String key = RedisStore.KEY_PREFIX + "ttl";
        store.take("warm", spec); // loads the script if the store has not yet
        assertThat(redis.command("CONFIG", "RESETSTAT")).isEqualTo("OK");

        store.take("ttl", spec);
        long afterOne = Long.parseLong(redis.command("PTTL", key));
        assertThat(afterOne).as("one token used: full again in one interval").isBetween(500L, 1000L);
        assertThat(redis.command("GET", key)).as("stored as an integer of microseconds").matches("\\d{16,}");
        store.take("ttl", spec);
        store.take("ttl", spec);
        long afterThree = Long.parseLong(redis.command("PTTL", key));
        assertThat(afterThree).as("never longer than the window").isBetween(2500L, 3000L);
        assertThat(store.take("ttl", spec).allowed()).isFalse();
        assertThat(Long.parseLong(redis.command("PTTL", key))).as("a refusal writes nothing")
                .isBetween(0L, afterThree);

        String stats = redis.command("INFO", "commandstats");
        assertThat(calls(stats, "evalsha")).as("one EVALSHA per take").isEqualTo(4);
        assertThat(calls(stats, "eval")).as("no script text sent").isZero();
        assertThat(redis.command("SCRIPT", "EXISTS", sha1(RedisStore.SCRIPT))).isEqualTo("1");
    }

    @Test
    void aFlushedScriptCacheIsSurvived() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), TIMEOUT);
        BucketSpec spec = new BucketSpec(5, HOUR);
        store.take("flush", spec);
        store.take("flush", spec);

        assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("OK");
        assertThat(redis.command("SCRIPT", "EXISTS", sha1(RedisStore.SCRIPT))).isEqualTo("0");

        assertThat(store.take("flush", spec).remaining()).as("the same bucket, counted on").isEqualTo(2);
        assertThat(redis.command("SCRIPT", "EXISTS", sha1(RedisStore.SCRIPT))).as("loaded again").isEqualTo("1");
        assertThat(store.take("flush", spec).remaining()).isEqualTo(1);
        assertThat(failures(store)).isZero();
        assertThat(warns).isEmpty();
    }

    @Test
    void aKilledServerFailsTakesFastLogsOnceAndLimitingResumesWhenItRestarts() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), SHORT_TIMEOUT);
        BucketSpec spec = new BucketSpec(5, HOUR);
        assertThat(store.take("k", spec).remaining()).isEqualTo(4);

        redis.kill();
        long killed = System.nanoTime();
        for (int i = 0; i < 20; i++) assertFailsFast(store, "k", spec);
        long started = System.nanoTime();
        List<Future<Throwable>> concurrent = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) concurrent.add(pool.submit(() -> failure(store, "k", spec)));
        }
        for (Future<Throwable> f : concurrent) assertThat(f.get()).isInstanceOf(StoreUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAIL_WITHIN);

        assertThat(warns).as("one warning per outage, not per request").hasSize(1);
        assertThat(warns.getFirst()).contains("unavailable", "127.0.0.1:" + redis.port(), "allow")
                .doesNotContain("\n");
        assertThat(failures(store)).isEqualTo(70);
        assertThat(infos).isEmpty();

        // stay down 6 s: lettuce's default backoff (doubling up to 30 s) tries at about 5 s, then not before 9 s
        Thread.sleep(Duration.ofNanos(Math.max(0, killed + 6 * SECOND - System.nanoTime())));
        redis.restart();
        long restarted = System.nanoTime();
        int failedPolls = awaitAnswering(store, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("reconnects by itself, soon")
                .isLessThan(Duration.ofMillis(1500));

        assertThat(infos).hasSize(1);
        assertThat(infos.getFirst()).contains("answers again", "resumed");
        assertThat(warns).hasSize(1);
        assertThat(failures(store)).isEqualTo(70 + failedPolls);
        // the restarted server has no data (no persistence): the bucket starts full, and is exact again
        assertExactlyBurstAllowed(concurrently(20, i -> store, "k", spec), spec);
        assertThat(failures(store)).isEqualTo(70 + failedPolls);
    }

    @Test
    void aServerThatStopsAnsweringCostsEachTakeAtMostTheTimeout() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected(redis.uri(), SHORT_TIMEOUT);
        BucketSpec spec = new BucketSpec(10, HOUR);
        store.take("before", spec);

        redis.pause();
        try {
            for (int i = 0; i < 5; i++) assertFailsFast(store, "slow", spec);
        } finally {
            redis.resume();
        }
        assertThat(warns).hasSize(1);
        assertThat(warns.getFirst()).contains("RedisCommandTimeoutException");

        int failedPolls = awaitAnswering(store, Duration.ofSeconds(5));
        assertThat(infos).hasSize(1);
        assertThat(failures(store)).isEqualTo(5 + failedPolls);
        // the late replies to the timed-out commands must not be mistaken for the answers to new ones
        assertExactlyBurstAllowed(concurrently(30, i -> store, "after", spec), spec);
        assertThat(store.take("before", spec).remaining()).isEqualTo(8);
    }

    @Test
    void theFirstConnectionIsRetriedUntilTheServerComesUp() throws Exception {
        int port = RedisServer.freePort(false);
        RedisStore store = store("redis://127.0.0.1:" + port, SHORT_TIMEOUT);
        BucketSpec spec = new BucketSpec(5, HOUR);
        for (int i = 0; i < 5; i++) assertFailsFast(store, "early", spec);
        Thread.sleep(1500); // a few connection attempts fail meanwhile
        assertThat(warns).hasSize(1);
        assertThat(failures(store)).as("counts failed takes, not connection attempts").isEqualTo(5);

        redis(RedisServer.start(port));
        long started = System.nanoTime();
        int failedPolls = awaitAnswering(store, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));

        assertThat(warns).hasSize(1);
        assertThat(infos).hasSize(1);
        assertThat(failures(store)).isEqualTo(5 + failedPolls);
        assertExactlyBurstAllowed(concurrently(12, i -> store, "early", spec), spec);
    }

    @Test
    void aThreeNodeClusterSpreadsKeysIsExactPerKeyAndANodeDownFailsOnlyItsOwnKeys() throws Exception {
        RedisServer cluster = redis(RedisServer.cluster(3));
        RedisStore store = connected(cluster.uri(), SHORT_TIMEOUT);
        RedisStore other = connected(cluster.uri(), SHORT_TIMEOUT);
        BucketSpec spec = new BucketSpec(20, HOUR);

        for (int i = 0; i < 300; i++) {
            Take take = store.take("spread:" + i, spec);
            assertThat(take.allowed()).isTrue();
            assertThat(take.remaining()).isEqualTo(19);
        }
        List<List<String>> keysPerNode = cluster.ports().stream()
                .map(p -> keys(p, RedisStore.KEY_PREFIX + "spread:*")).toList();
        assertThat(keysPerNode).allSatisfy(keys -> assertThat(keys).hasSizeGreaterThan(50));
        assertThat(keysPerNode.stream().mapToInt(List::size).sum()).isEqualTo(300);

        List<Take> takes = concurrently(60, i -> i % 2 == 0 ? store : other, "one", spec);
        assertExactlyBurstAllowed(takes, spec);
        assertThat(failures(store) + failures(other)).isZero();
        assertThat(warns).isEmpty();

        // one master down: only the keys in its slots fail, the others are limited as before
        int down = keys(cluster.ports().get(0), RedisStore.KEY_PREFIX + "one").isEmpty() ? 0 : 1;
        String downKey = keysPerNode.get(down).getFirst().substring(RedisStore.KEY_PREFIX.length());
        String upKey = keysPerNode.get((down + 1) % 3).getFirst().substring(RedisStore.KEY_PREFIX.length());
        cluster.kill(down);
        for (int i = 0; i < 5; i++) assertFailsFast(store, downKey, spec);
        assertThat(store.take(upKey, spec).remaining()).isEqualTo(18);
        assertThat(store.take("one", spec).allowed()).as("still exhausted").isFalse();
        assertThat(warns).hasSize(1);

        cluster.restart();
        int failedPolls = awaitAnswering(store, downKey, spec, Duration.ofSeconds(10));
        assertThat(store.take(downKey, spec).remaining()).as("restarted empty: full again, minus the poll")
                .isEqualTo(18);
        assertThat(infos).hasSize(1);
        assertThat(warns).hasSize(1);
        assertThat(failures(store)).isEqualTo(5 + failedPolls);

        // a gateway starting while a master is down still connects, and limits the keys of the others
        cluster.kill(down);
        RedisStore late = new RedisStore(URI.create(cluster.uri()), SHORT_TIMEOUT, "allow", s -> { }, s -> { });
        resources.add(late);
        late.start();
        awaitAnswering(late, upKey, spec, Duration.ofSeconds(5));
        assertThat(late.take(upKey, spec).remaining()).isEqualTo(16);
        assertFailsFast(late, downKey, spec);
    }

    @Test
    void describeLeavesOutCredentials() {
        RedisStore store = new RedisStore(URI.create("redis://user:s3cret@127.0.0.1:6379/0"), TIMEOUT, "allow",
                warns::add, infos::add);
        resources.add(store);
        assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/0");
        RedisStore cluster = new RedisStore(URI.create("redis-cluster://:pw@10.0.0.1:7000,10.0.0.2:7000"),
                TIMEOUT, "deny", warns::add, infos::add);
        resources.add(cluster);
        assertThat(cluster.describe()).isEqualTo("redis-cluster://10.0.0.1:7000,10.0.0.2:7000");
    }

    @Test
    void schemesAreCaseInsensitiveAsTheConfigAllows() throws Exception {
        RedisServer redis = redis(RedisServer.start());
        RedisStore store = connected("REDIS://127.0.0.1:" + redis.port(), TIMEOUT);
        assertThat(store.take("case", new BucketSpec(2, HOUR)).remaining()).isEqualTo(1);
    }

    // --- helpers

    private RedisServer redis(RedisServer server) {
        resources.add(server);
        return server;
    }

    private RedisStore store(String uri, Duration timeout) {
        RedisStore store = new RedisStore(URI.create(uri), timeout, "allow", warns::add, infos::add);
        resources.add(store);
        store.start();
        return store;
    }

    /** A started store that has answered once; what it logged while connecting is forgotten. */
    private RedisStore connected(String uri, Duration timeout) throws InterruptedException {
        RedisStore store = store(uri, timeout);
        awaitAnswering(store, Duration.ofSeconds(10));
        warns.clear();
        infos.clear();
        failuresBefore.put(store, store.failures());
        return store;
    }

    /** Polls until a take succeeds; returns how many failed first. */
    private static int awaitAnswering(RedisStore store, Duration within) throws InterruptedException {
        return awaitAnswering(store, "probe", PROBE, within);
    }

    private static int awaitAnswering(RedisStore store, String key, BucketSpec spec, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (int failed = 0; ; failed++) {
            try {
                store.take(key, spec);
                return failed;
            } catch (StoreUnavailable e) {
                if (System.nanoTime() - deadline > 0) throw new AssertionError("no answer within " + within, e);
                Thread.sleep(20);
            }
        }
    }

    /** Failures counted since the store was handed out connected. */
    private long failures(RedisStore store) {
        return store.failures() - failuresBefore.getOrDefault(store, 0L);
    }

    private static void assertFailsFast(RedisStore store, String key, BucketSpec spec) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> store.take(key, spec)).isInstanceOf(StoreUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAIL_WITHIN);
    }

    private static Throwable failure(RedisStore store, String key, BucketSpec spec) {
        try {
            store.take(key, spec);
            return null;
        } catch (StoreUnavailable e) {
            return e;
        }
    }

    /** {@code count} takes of one key, released at once from as many virtual threads. */
    private static List<Take> concurrently(int count, IntFunction<RedisStore> storeFor, String key, BucketSpec spec)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Take>> futures = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                RedisStore store = storeFor.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return store.take(key, spec);
                }));
            }
            go.countDown();
            List<Take> takes = new ArrayList<>();
            for (Future<Take> future : futures) takes.add(future.get(10, TimeUnit.SECONDS));
            return takes;
        }
    }

    /** Exactly {@code burst} allowed, and each saw a different count of tokens left: no take was lost. */
    private static void assertExactlyBurstAllowed(List<Take> takes, BucketSpec spec) {
        assertThat(takes).filteredOn(Take::allowed).hasSize((int) spec.burst());
        assertThat(takes).filteredOn(Take::allowed).extracting(Take::remaining)
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, spec.burst()).boxed().toList());
    }

    private static List<String> keys(int port, String pattern) {
        String keys = RedisServer.command(port, "KEYS", pattern);
        return keys.isEmpty() ? List.of() : List.of(keys.split("\n"));
    }

    private static long calls(String commandStats, String command) {
        Matcher m = Pattern.compile("(?m)^cmdstat_" + command + ":calls=(\\d+)").matcher(commandStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String sha1(String text) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return HexFormat.of().formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
