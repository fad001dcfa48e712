package dev.gateway.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

/**
 * Buckets in Redis, shared by every gateway that uses the same server or cluster: one EVALSHA of a GCRA script per
 * take, with the time read inside the script from Redis ({@code TIME}) so instances with skewed clocks share one
 * exact budget; a bucket is one key that expires once the bucket would be full again. Commands have a timeout and
 * are refused at once while disconnected, so an outage costs a request at most that timeout. The first connection is
 * made in the background by {@link #start()} and retried until it succeeds; lettuce reconnects after that. Each
 * outage is logged once, when it starts, and once when Redis answers again. Thread-safe.
 */
public final class RedisStore implements BucketStore {
    static final String KEY_PREFIX = "gateway:rl:";
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
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

    private final URI uri;
    private final Duration timeout;
    private final String onFailure;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final Object lock = new Object();
    private volatile RedisScriptingCommands<String, String> commands;
    private volatile String sha;
    private AutoCloseable client; // guarded by lock
    private StatefulConnection<String, String> connection; // guarded by lock
    private Thread connector; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * {@code uri}: {@code redis://[user:pass@]host:port[/db]}, {@code rediss://…} or {@code
     * redis-cluster://[user:pass@]h1:p1,h2:p2}; {@code onFailure} says in the outage message what requests get then.
     * Opens no socket until {@link #start()}.
     */
    public RedisStore(URI uri, Duration timeout, String onFailure, Consumer<String> warn, Consumer<String> info) {
        this.uri = uri;
        this.timeout = timeout;
        this.onFailure = onFailure;
        this.warn = warn;
        this.info = info;
    }

    /** Connects in the background, retrying every second until it succeeds. Idempotent. */
    @Override
    public void start() {
        synchronized (lock) {
            if (closed || connector != null) return;
            connector = Thread.ofVirtual().name("redis-connect").start(this::connectLoop);
        }
    }

    @Override
    public Take take(String key, BucketSpec spec) throws StoreUnavailable {
        RedisScriptingCommands<String, String> redis = commands;
        if (redis == null) throw unavailable("not connected yet", null);
        String[] keys = {KEY_PREFIX + key};
        String interval = Long.toString(Math.max(1, spec.nanosPerToken() / 1000));
        String burst = Long.toString(spec.burst());
        List<Object> out;
        try {
            try {
                out = redis.evalsha(sha, ScriptOutputType.MULTI, keys, interval, burst);
            } catch (RedisNoScriptException e) {
                // a restarted server or another cluster node has not seen the script: EVAL loads it there
                out = redis.eval(SCRIPT, ScriptOutputType.MULTI, keys, interval, burst);
            }
        } catch (RedisException e) {
            throw unavailable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        recovered();
        return new Take(((Long) out.get(0)) == 1, (Long) out.get(1), (Long) out.get(2) * 1000, (Long) out.get(3) * 1000);
    }

    /** Checks that failed since start (timeouts, refused while disconnected, errors). */
    public long failures() {
        return failures.get();
    }

    @Override
    public String describe() {
        String text = uri.toString();
        return uri.getRawUserInfo() == null ? text : text.replace(uri.getRawUserInfo() + "@", "");
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connector != null) connector.interrupt();
            commands = null;
            if (connection != null) connection.close();
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    // shutting down: nothing left to do
                }
            }
        }
    }

    private void connectLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (connect()) return;
            } catch (RedisException e) {
                unavailable("cannot connect (" + e.getMessage() + ")", e);
            }
            try {
                Thread.sleep(CONNECT_RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One attempt; false when closed meanwhile. */
    private boolean connect() {
        ClientOptions.DisconnectedBehavior reject = ClientOptions.DisconnectedBehavior.REJECT_COMMANDS;
        SocketOptions socket = SocketOptions.builder().connectTimeout(timeout.multipliedBy(4)).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
        AutoCloseable newClient;
        StatefulConnection<String, String> newConnection;
        RedisScriptingCommands<String, String> newCommands;
        if (uri.getScheme().equals("redis-cluster")) {
            RedisClusterClient cluster = RedisClusterClient.create(clusterNodes());
            cluster.setOptions(ClusterClientOptions.builder().disconnectedBehavior(reject).socketOptions(socket)
                    .timeoutOptions(timeouts).build());
            newClient = cluster::shutdown;
            try {
                var c = cluster.connect();
                newConnection = c;
                newCommands = c.sync();
            } catch (RedisException e) {
                cluster.shutdown();
                throw e;
            }
        } else {
            RedisClient single = RedisClient.create(RedisURI.create(uri.toString()));
            single.setOptions(ClientOptions.builder().disconnectedBehavior(reject).socketOptions(socket)
                    .timeoutOptions(timeouts).build());
            newClient = single::shutdown;
            try {
                var c = single.connect();
                newConnection = c;
                newCommands = c.sync();
            } catch (RedisException e) {
                single.shutdown();
                throw e;
            }
        }
        newConnection.setTimeout(timeout);
        String digest = newCommands.scriptLoad(SCRIPT);
        synchronized (lock) {
            if (closed) {
                newConnection.close();
                try {
                    newClient.close();
                } catch (Exception e) {
                    // closing anyway
                }
                return false;
            }
            client = newClient;
            connection = newConnection;
            sha = digest;
            commands = newCommands;
        }
        recovered();
        return true;
    }

    private List<RedisURI> clusterNodes() {
        String authority = uri.getRawAuthority();
        String userInfo = uri.getRawUserInfo();
        String hosts = userInfo == null ? authority : authority.substring(userInfo.length() + 1);
        List<RedisURI> nodes = new ArrayList<>();
        for (String node : hosts.split(",")) {
            nodes.add(RedisURI.create("redis://" + (userInfo == null ? "" : userInfo + "@") + node.strip()));
        }
        return nodes;
    }

    private StoreUnavailable unavailable(String why, Throwable cause) {
        failures.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            warn.accept("rate-limit store " + describe() + " is unavailable (" + why + "); " + onFailure
                    + " until it answers");
        }
        return new StoreUnavailable(why, cause);
    }

    private void recovered() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            info.accept("rate-limit store " + describe() + " answers again (" + failures.get()
                    + " checks failed so far); limiting resumed");
        }
    }
}
