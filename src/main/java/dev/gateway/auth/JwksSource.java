package dev.gateway.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.nimbusds.jose.jwk.JWKSet;

import dev.gateway.config.KeyConfig;
import dev.gateway.observe.EventLog;

/**
 * One JWKS endpoint: fetched at start and every {@code refresh} (sooner, with backoff, after a failure), and on
 * demand for an unknown kid at most once per {@link #MIN_REFETCH_INTERVAL} (by the injected clock) so random kids
 * cannot hammer the issuer. Failures keep the last good keys and are logged once per episode. Thread-safe.
 */
final class JwksSource implements AutoCloseable {
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final int MAX_BYTES = 512 * 1024;

    private record KeySet(List<VerificationKey> keys, Instant fetchedAt) {
    }

    private final URI url;
    private final String shown;
    private final Duration refresh;
    private final Clock clock;
    private final EventLog events;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final Object lock = new Object();
    private volatile KeySet current = new KeySet(List.of(), null);
    // guarded by lock
    private HttpClient client;
    private Thread refresher;
    private CompletableFuture<Boolean> inFlight;
    private Instant lastFetchStarted;
    private String lastError;
    private Instant lastErrorAt;
    private boolean closed;

    JwksSource(URI url, Duration refresh, Clock clock, EventLog events) {
        this.url = url;
        this.shown = "jwks " + shown(url);
        this.refresh = refresh.isPositive() ? refresh : KeyConfig.JwksUrl.DEFAULT_REFRESH;
        this.clock = clock;
        this.events = events;
    }

    /** The URL without user info, and with any query shown as {@code ?…}: either may carry a credential. */
    static String shown(URI url) {
        String text = url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "");
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query) + "?…";
    }

    /** Starts the background refresh with {@code client}; the first fetch begins at once. */
    void start(HttpClient client) {
        synchronized (lock) {
            if (closed || this.client != null) return;
            this.client = client;
            refresher = Thread.ofVirtual().name("jwks-refresh").start(this::refreshLoop);
        }
    }

    /** Changes (by identity) whenever the keys may have: every good fetch. */
    Object generation() {
        return current;
    }

    /** The keys of the last good fetch (empty before one). */
    List<VerificationKey> keys() {
        return current.keys();
    }

    /** A refetch because a token named a kid we lack: joins one in flight, else at most one per interval. */
    void refetchForUnknownKid() {
        CompletableFuture<Boolean> fetch;
        synchronized (lock) {
            boolean recent = lastFetchStarted != null
                    && clock.instant().isBefore(lastFetchStarted.plus(MIN_REFETCH_INTERVAL));
            if (inFlight == null && recent) return;
            fetch = fetch();
        }
        try {
            fetch.get(FETCH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the fetch logs its own failure; the caller goes on with the keys it has
        }
    }

    /** Waits until the first fetch has finished (either way) or the deadline; true when the keys are current. */
    boolean awaitFirstFetch(long deadlineNanos) throws InterruptedException {
        try {
            firstAttempt.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        synchronized (lock) {
            return lastError == null && !current.keys().isEmpty();
        }
    }

    /** {@code jwks URL (3 keys, fetched 12s ago)}, plus the last failure while failing. */
    String describe() {
        Instant now = clock.instant();
        KeySet set = current;
        synchronized (lock) {
            String state = set.fetchedAt() == null ? "no keys yet"
                    : Wording.count(set.keys().size(), "key") + ", fetched "
                    + Wording.compact(Duration.between(set.fetchedAt(), now)) + " ago";
            String failure = lastError == null ? "" : "; last fetch failed "
                    + Wording.compact(Duration.between(lastErrorAt, now)) + " ago: " + lastError;
            return shown + " (" + state + failure + ")";
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (refresher != null) refresher.interrupt();
        }
    }

    private void refreshLoop() {
        Duration backoff = Duration.ofSeconds(1);
        while (!Thread.currentThread().isInterrupted()) {
            boolean ok;
            try {
                ok = fetch().get();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException e) {
                ok = false;
            }
            Duration wait = ok ? refresh : min(backoff, refresh);
            backoff = ok ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private CompletableFuture<Boolean> fetch() {
        synchronized (lock) {
            if (inFlight != null) return inFlight;
            if (closed || client == null) return CompletableFuture.completedFuture(false);
            lastFetchStarted = clock.instant();
            CompletableFuture<Boolean> fetch = new CompletableFuture<>();
            inFlight = fetch;
            HttpClient http = client;
            Thread.ofVirtual().name("jwks-fetch").start(() -> {
                boolean ok = fetchOnce(http);
                synchronized (lock) {
                    inFlight = null;
                }
                fetch.complete(ok);
                firstAttempt.complete(null);
            });
            return fetch;
        }
    }

    private boolean fetchOnce(HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) return failed("HTTP " + response.statusCode());
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) return failed("response is larger than " + MAX_BYTES / 1024 + " KiB");
                JWKSet set = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
                List<VerificationKey> keys = set.getKeys().stream()
                        .map(jwk -> VerificationKey.fromJwk(jwk, shown)).flatMap(Optional::stream).toList();
                if (keys.isEmpty()) {
                    return failed("no usable signing keys among " + set.getKeys().size() + " entries");
                }
                return succeeded(keys);
            }
        } catch (HttpTimeoutException e) {
            return failed("timed out after " + FETCH_TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            return failed("cannot connect");
        } catch (ParseException e) {
            return failed("response is not a JWK set");
        } catch (IOException e) {
            return failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    private boolean succeeded(List<VerificationKey> keys) {
        synchronized (lock) {
            KeySet before = current;
            current = new KeySet(List.copyOf(keys), clock.instant());
            if (lastError != null) {
                events.info(shown + ": fetch recovered, " + Wording.count(keys.size(), "key"));
            } else if (before.fetchedAt() != null && !kids(before.keys()).equals(kids(keys))) {
                events.info(shown + ": keys changed, kids now " + kids(keys));
            }
            lastError = null;
            lastErrorAt = null;
            return true;
        }
    }

    private boolean failed(String reason) {
        synchronized (lock) {
            if (closed) return false;
            if (lastError == null) {
                KeySet kept = current;
                events.warn(shown + ": fetch failed (" + reason + "); " + (kept.fetchedAt() == null
                        ? "no keys from it until a fetch succeeds"
                        : "keeping the " + Wording.count(kept.keys().size(), "key")
                        + " fetched at " + kept.fetchedAt()));
            }
            lastError = reason;
            lastErrorAt = clock.instant();
            return false;
        }
    }

    private static List<String> kids(List<VerificationKey> keys) {
        return keys.stream().map(k -> k.kid().orElse("-")).sorted().toList();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
