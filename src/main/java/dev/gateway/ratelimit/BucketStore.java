package dev.gateway.ratelimit;

/**
 * Where token buckets live: in this process ({@link MemoryStore}) or shared by every gateway on one Redis
 * ({@link RedisStore}). Implementations are thread-safe; a bucket never seen before starts full.
 */
public interface BucketStore extends AutoCloseable {

    /** Begins any background work (connecting); a store that needs none does nothing. Opens no socket before. */
    default void start() {
    }

    /** Waits up to {@code wait} until the store can answer (connected); true when it can. */
    default boolean awaitReady(java.time.Duration wait) {
        return true;
    }

    /** Takes one token from the bucket {@code key}; throws when the store cannot answer (Redis down or slow). */
    Take take(String key, BucketSpec spec) throws StoreUnavailable;

    /** One line for logs, without credentials. */
    String describe();

    @Override
    void close();
}
