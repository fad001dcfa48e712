package dev.gateway.ratelimit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Buckets in Redis, shared by every gateway that uses the same server or cluster: one EVALSHA of a GCRA script per
 * take, with the time read inside the script from Redis ({@code TIME}) so instances with skewed clocks share one
 * exact budget; a bucket is one key (so one cluster slot) that expires once the bucket would be full again. Commands
 * have a timeout and are refused at once while disconnected, so an outage costs a request at most that timeout. The
 * first connection is made in the background by {@link #start()} and retried every second; lettuce reconnects after
 * that, at least once a second. Each outage is logged once, when it starts, and once when Redis answers again.
 * Thread-safe.
 */
public final class RedisStore implements BucketStore {
    static final String KEY_PREFIX = "gateway:rl:";
    /** Between attempts at the first connection, and the most lettuce waits between reconnection attempts. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** KEYS[1] the bucket; ARGV[1] microseconds per token, ARGV[2] burst. Returns {allowed, remaining, reset, retry}. */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local window = interval * tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1])) or now
            if tat < now then tat = now end
            local used = tat + interval - now
            if used > window then
              return {0, 0, tat - now, used - window}
            end
            redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(used / 1000))
            return {1, math.floor((window - used) / interval), used, 0}
            """;
    private static final String SHA = sha1(SCRIPT);
    private static final long NO_OUTAGE = Long.MIN_VALUE;

    private final URI uri;
    private final List<RedisURI> nodes; // one for redis:// and rediss://, the seeds for redis-cluster://
    private final boolean cluster;
    private final Duration timeout;
    private final String onFailure;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final AtomicLong failures = new AtomicLong();
    /** System.nanoTime() when the current outage was first seen, or NO_OUTAGE. */
    private final AtomicLong outageSince = new AtomicLong(NO_OUTAGE);
    private volatile long failuresBeforeOutage;
    private final Object lock = new Object();
    private volatile RedisScriptingCommands<String, String> commands;
    private ClientResources resources; // guarded by lock
    private AbstractRedisClient client; // guarded by lock
    private StatefulConnection<String, String> connection; // guarded by lock
    private Thread connector; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * {@code uri}: {@code redis://[user:pass@]host:port[/db]}, {@code rediss://…} or {@code
     * redis-cluster://[user:pass@]h1:p1,h2:p2}; {@code onFailure} says in the outage message what requests get then.
     * Opens no socket until {@link #start()}; throws {@link IllegalArgumentException} for a URI lettuce cannot use.
     */
    public RedisStore(URI uri, Duration timeout, String onFailure, Consumer<String> warn, Consumer<String> info) {
        this.uri = uri;
        this.cluster = "redis-cluster".equalsIgnoreCase(uri.getScheme());
        this.timeout = timeout;
        this.onFailure = onFailure;
        this.warn = warn;
        this.info = info;
        // lettuce knows the schemes in lower case only
        String scheme = String.valueOf(uri.getScheme());
        String text = scheme.toLowerCase(Locale.ROOT) + uri.toString().substring(scheme.length());
        this.nodes = cluster ? clusterNodes() : List.of(RedisURI.create(text));
        nodes.forEach(node -> node.setTimeout(timeout)); // bounds the handshake and the cluster topology query
    }

    /** Connects in the background, retrying every second until it succeeds. Idempotent. */
    @Override
    public void start() {
        synchronized (lock) {
            if (closed || connector != null) return;
            // lettuce's default reconnect backoff grows to 30 s: limiting would resume that long after Redis is back
            resources = ClientResources.builder()
                    .reconnectDelay(Delay.exponential(Duration.ZERO, RETRY, 2, TimeUnit.MILLISECONDS)).build();
            ClientOptions.DisconnectedBehavior reject = ClientOptions.DisconnectedBehavior.REJECT_COMMANDS;
            SocketOptions socket = SocketOptions.builder().connectTimeout(timeout.multipliedBy(4)).build();
            TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
            if (cluster) {
                RedisClusterClient clusterClient = RedisClusterClient.create(resources, nodes);
                clusterClient.setOptions(ClusterClientOptions.builder().disconnectedBehavior(reject)
                        .socketOptions(socket).timeoutOptions(timeouts).build());
                client = clusterClient;
            } else {
                RedisClient single = RedisClient.create(resources, nodes.getFirst());
                single.setOptions(ClientOptions.builder().disconnectedBehavior(reject).socketOptions(socket)
                        .timeoutOptions(timeouts).build());
                client = single;
            }
            connector = Thread.ofVirtual().name("redis-connect").start(this::connectLoop);
        }
    }

    /** Waits for the first connection (after {@link #start()}); true once connected. */
    @Override
    public boolean awaitReady(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (commands == null && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return commands != null;
    }

    @Override
    public Take take(String key, BucketSpec spec) throws StoreUnavailable {
        long sent = System.nanoTime();
        RedisScriptingCommands<String, String> redis = commands;
        if (redis == null) throw unavailable("not connected yet", null);
        String[] keys = {KEY_PREFIX + key};
        String interval = Long.toString(Math.max(1, spec.nanosPerToken() / 1000));
        String burst = Long.toString(spec.burst());
        List<Object> out;
        try {
            try {
                out = redis.evalsha(SHA, ScriptOutputType.MULTI, keys, interval, burst);
            } catch (RedisNoScriptException e) {
                // a new or restarted server, or another cluster node, has not seen the script: EVAL loads it there
                out = redis.eval(SCRIPT, ScriptOutputType.MULTI, keys, interval, burst);
            }
        } catch (RedisException e) {
            throw unavailable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        recovered(sent);
        return new Take(((Long) out.get(0)) == 1, (Long) out.get(1), (Long) out.get(2) * 1000, (Long) out.get(3) * 1000);
    }

    /** Checks that failed since start (timeouts, refused while disconnected, errors). */
    public long failures() {
        return failures.get();
    }

    @Override
    public String describe() {
        String text = uri.toString();
        int at = text.lastIndexOf('@');
        int sep = text.indexOf("://");
        return at < 0 ? text : text.substring(0, sep + 3) + text.substring(at + 1);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connector != null) connector.interrupt();
            commands = null;
            if (connection != null) connection.close();
            if (client != null) client.shutdown();
            if (resources != null) resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private void connectLoop() {
        while (true) {
            long attempt = System.nanoTime();
            try {
                StatefulConnection<String, String> opened;
                RedisScriptingCommands<String, String> sync;
                if (client instanceof RedisClusterClient clusterClient) {
                    var c = clusterClient.connect();
                    openNodeConnections(c);
                    opened = c;
                    sync = c.sync();
                } else {
                    var c = ((RedisClient) client).connect();
                    opened = c;
                    sync = c.sync();
                }
                opened.setTimeout(timeout);
                synchronized (lock) {
                    if (closed) {
                        opened.close();
                        return;
                    }
                    connection = opened;
                    commands = sync;
                }
                recovered(attempt);
                return;
            } catch (RuntimeException e) { // RedisException, or what a client shut down meanwhile throws
                synchronized (lock) {
                    if (closed) return;
                }
                outage("cannot connect (" + e.getMessage() + ")", failures.get());
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * lettuce opens a cluster node's connection on first use and, rejecting commands while disconnected, fails the
     * commands that find it still opening: so open them all now, loading the script too. A node that is down now is
     * connected on demand later.
     */
    private static void openNodeConnections(StatefulRedisClusterConnection<String, String> cluster) {
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) continue;
            try {
                cluster.getConnection(node.getUri().getHost(), node.getUri().getPort()).sync().scriptLoad(SCRIPT);
            } catch (RuntimeException e) {
                // best effort: that node's keys fail until it answers, like any node that goes down later
            }
        }
    }

    private List<RedisURI> clusterNodes() {
        // URI does not parse an authority with commas, so split it here: user info ends at the last '@'
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : authority.substring(at + 1).split(",")) {
            seeds.add(RedisURI.create("redis://" + userInfo + node.strip()));
        }
        return seeds;
    }

    private StoreUnavailable unavailable(String why, Throwable cause) {
        outage(why, failures.getAndIncrement());
        return new StoreUnavailable(why, cause);
    }

    /** Logs the start of an outage unless one is going on; {@code failedBefore}: the failures counted before it. */
    private void outage(String why, long failedBefore) {
        if (outageSince.compareAndSet(NO_OUTAGE, System.nanoTime())) {
            failuresBeforeOutage = failedBefore;
            warn.accept("rate-limit store " + describe() + " is unavailable (" + why + "); " + onFailure
                    + " until it answers");
        }
    }

    /** Ends the outage, if any, when a command sent after it was first seen has succeeded. */
    private void recovered(long sent) {
        long since = outageSince.get();
        if (since != NO_OUTAGE && sent - since > 0 && outageSince.compareAndSet(since, NO_OUTAGE)) {
            long failed = Math.max(0, failures.get() - failuresBeforeOutage);
            info.accept("rate-limit store " + describe() + " answers again (" + failed
                    + " checks failed meanwhile); limiting resumed");
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
