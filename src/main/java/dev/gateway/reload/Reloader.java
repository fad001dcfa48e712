package dev.gateway.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigLoader;
import dev.gateway.config.LoadedConfig;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.Metrics;
import dev.gateway.runtime.RuntimeSnapshot;
import dev.gateway.runtime.SnapshotFactory;
import dev.gateway.runtime.SnapshotHolder;

/**
 * Turns a changed file into a new snapshot beside the running one and swaps it in; on any error the running one
 * keeps serving and the errors are logged with their locations. Unchanged content (by SHA-256) is ignored. Each
 * attempt is counted in the metrics and its {@link ReloadResult} kept for the admin API.
 * Called from one thread (the watcher); {@link #reloadNow()} is synchronized for safety.
 */
public final class Reloader {
    private final Path file;
    private final ConfigLoader loader;
    private final SnapshotFactory factory;
    private final SnapshotHolder holder;
    private final EventLog events;
    private final Duration retireGrace;
    private final Duration keysWait;
    private final Metrics metrics;
    private String lastSeenHash;
    private volatile ReloadResult last;

    /** {@code keysWait}: how long a new snapshot may wait for its JWKS keys and store before it is swapped in anyway. */
    public Reloader(Path file, ConfigLoader loader, SnapshotFactory factory, SnapshotHolder holder, EventLog events,
                    Duration retireGrace, Duration keysWait, Metrics metrics) {
        this.metrics = metrics;
        this.file = file;
        this.loader = loader;
        this.factory = factory;
        this.holder = holder;
        this.events = events;
        this.retireGrace = retireGrace;
        this.keysWait = keysWait;
        this.lastSeenHash = holder.current().loaded().sha256();
    }

    /** Reloads when the file's content differs from the last content seen; returns true when a swap happened. */
    public synchronized boolean reloadNow() {
        String hash;
        try {
            hash = sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return false; // mid-swap (file briefly absent): the next event or poll retries
        }
        if (hash.equals(lastSeenHash)) return false;
        lastSeenHash = hash;
        RuntimeSnapshot current = holder.current();
        LoadedConfig loaded;
        RuntimeSnapshot next;
        try {
            loaded = loader.load(file);
            next = factory.build(loaded, current);
        } catch (ConfigException e) {
            events.error("reload of " + file + " rejected; still serving the previous config ("
                    + short8(current.loaded().sha256()) + "):");
            for (ConfigError f : e.findings()) events.error("  " + f);
            return rejected(hash, e.findings().stream().map(ConfigError::toString).toList());
        } catch (RuntimeException e) {
            events.error("reload of " + file + " failed; still serving the previous config: " + e);
            return rejected(hash, List.of(e.toString()));
        }
        for (ConfigError w : loaded.warnings()) events.warn("  " + w);
        if (!loaded.config().listen().equals(current.loaded().config().listen())) {
            events.warn("listen settings changed in " + file + ": they take effect after a restart; "
                    + "everything else is applied now");
        }
        if (!loaded.config().admin().equals(current.loaded().config().admin())) {
            events.warn("admin settings changed in " + file + ": they take effect after a restart");
        }
        List<String> late = next.start(keysWait);
        if (!late.isEmpty()) events.warn("swapping in " + file + " before " + String.join(" and ", late) + " answered");
        holder.swap(next, retireGrace);
        metrics.reloaded(true);
        last = new ReloadResult(next.builtAt(), true, hash, List.of());
        events.info("reloaded " + file + " (" + short8(loaded.sha256()) + "): " + loaded.config().routes().size()
                + " routes, " + loaded.config().upstreams().size() + " upstreams");
        return true;
    }

    /** The last reload attempt's outcome; null before the first. */
    public ReloadResult last() {
        return last;
    }

    private boolean rejected(String hash, List<String> errors) {
        metrics.reloaded(false);
        last = new ReloadResult(java.time.Instant.now(), false, hash, errors);
        return false;
    }

    private static String short8(String hash) {
        return hash.substring(0, Math.min(8, hash.length()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
