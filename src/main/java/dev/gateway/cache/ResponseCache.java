package dev.gateway.cache;

import dev.gateway.background.Periodic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The instance's one response store, at most {@code maxBytes}: least recently used keys go first when it is full,
 * expired entries are dropped by a background sweep, and keys are prefixed by their route's fingerprint so one route's
 * responses never serve another and a changed route's are dropped at reload ({@link #retainOnly}). Also keeps the
 * misses in flight, so concurrent misses for one key wait for one upstream request. Thread-safe; the map's lock is
 * held only to look up, insert or evict.
 */
public final class ResponseCache implements AutoCloseable {
    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    private final long maxBytes;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, List<CachedResponse>> entries = new LinkedHashMap<>(256, 0.75f, true);
    private final ConcurrentHashMap<String, CompletableFuture<CachedResponse>> inFlight = new ConcurrentHashMap<>();
    private final Periodic sweeper;
    private long bytes; // guarded by entries

    public ResponseCache(long maxBytes, LongSupplier nanoClock) {
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
        this.sweeper = new Periodic("cache-sweep", SWEEP_EVERY, this::sweep).start();
    }

    /** A fresh variant of {@code key} that this request may be served, or null. */
    public CachedResponse get(String key, Function<String, String> requestHeader) {
        long now = nanoClock.getAsLong();
        synchronized (entries) {
            List<CachedResponse> variants = entries.get(key);
            if (variants == null) return null;
            for (CachedResponse r : variants) {
                if (r.expiresAt() - now > 0 && r.matches(requestHeader)) return r;
            }
            return null;
        }
    }

    /** Stores {@code response}, replacing the variant with the same Vary values; evicts the oldest keys to fit. */
    public void put(String key, CachedResponse response) {
        if (response.size() > maxBytes) return;
        synchronized (entries) {
            List<CachedResponse> variants = new ArrayList<>(entries.getOrDefault(key, List.of()));
            for (Iterator<CachedResponse> it = variants.iterator(); it.hasNext(); ) {
                CachedResponse old = it.next();
                if (old.varyNames().equals(response.varyNames()) && old.varyValues().equals(response.varyValues())) {
                    bytes -= old.size();
                    it.remove();
                }
            }
            variants.add(response);
            bytes += response.size();
            entries.put(key, List.copyOf(variants));
            for (Iterator<Map.Entry<String, List<CachedResponse>>> it = entries.entrySet().iterator();
                 bytes > maxBytes && it.hasNext(); ) {
                Map.Entry<String, List<CachedResponse>> eldest = it.next();
                if (eldest.getKey().equals(key)) continue;
                bytes -= eldest.getValue().stream().mapToLong(CachedResponse::size).sum();
                it.remove();
            }
        }
    }

    /**
     * Joins the miss in flight for {@code key}: empty when this caller leads it (it must {@link #finish} it), else the
     * leader's future (its response, or null when that was not cacheable).
     */
    public CompletableFuture<CachedResponse> follow(String key) {
        return inFlight.putIfAbsent(key, new CompletableFuture<>());
    }

    /** Ends the miss this caller leads, handing {@code response} (null: nothing cacheable) to those waiting. */
    public void finish(String key, CachedResponse response) {
        CompletableFuture<CachedResponse> mine = inFlight.remove(key);
        if (mine != null) mine.complete(response);
    }

    /** Drops every key whose route fingerprint (the text before the first '|') is not among {@code fingerprints}. */
    public void retainOnly(Set<String> fingerprints) {
        synchronized (entries) {
            for (Iterator<Map.Entry<String, List<CachedResponse>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, List<CachedResponse>> e = it.next();
                if (!fingerprints.contains(e.getKey().substring(0, e.getKey().indexOf('|')))) {
                    bytes -= e.getValue().stream().mapToLong(CachedResponse::size).sum();
                    it.remove();
                }
            }
        }
    }

    /** Bytes held now. */
    public long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    /** Drops expired variants; returns how many keys are left. */
    int sweep() {
        long now = nanoClock.getAsLong();
        synchronized (entries) {
            for (Iterator<Map.Entry<String, List<CachedResponse>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, List<CachedResponse>> e = it.next();
                List<CachedResponse> fresh = e.getValue().stream().filter(r -> r.expiresAt() - now > 0).toList();
                if (fresh.size() == e.getValue().size()) continue;
                bytes -= e.getValue().stream().mapToLong(CachedResponse::size).sum();
                bytes += fresh.stream().mapToLong(CachedResponse::size).sum();
                if (fresh.isEmpty()) it.remove();
                else e.setValue(fresh);
            }
            return entries.size();
        }
    }

    @Override
    public void close() {
        sweeper.close();
        synchronized (entries) {
            entries.clear();
            bytes = 0;
        }
    }
}
