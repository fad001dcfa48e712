package dev.gateway.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches the config file's directory (not the file: editors save by rename and Kubernetes swaps a symlink) and
 * calls back once a burst of changes has been quiet for {@code debounce} (or has lasted {@code pollEvery}). Also calls back every
 * {@code pollEvery} as a safety net for missed events; the callback compares content hashes, so spurious calls
 * cost one file read. Runs on its own virtual thread until closed.
 */
public final class ConfigWatcher implements AutoCloseable {
    private final Path directory;
    private final Duration debounce;
    private final Duration pollEvery;
    private final Runnable onChange;
    private final WatchService watch;
    private final Thread thread;

    public ConfigWatcher(Path file, Duration debounce, Duration pollEvery, Runnable onChange) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        this.directory = parent;
        this.debounce = debounce;
        this.pollEvery = pollEvery;
        this.onChange = onChange;
        this.watch = FileSystems.getDefault().newWatchService();
        directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofVirtual().name("config-watcher").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.poll(pollEvery.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    drain(key);
                    // let the burst settle: keep swallowing events until quiet for the debounce period, but
                    // no longer than pollEvery: a busy file beside the config (a log) must not hold reloads off
                    long settleBy = System.nanoTime() + pollEvery.toNanos();
                    WatchKey more;
                    while (System.nanoTime() < settleBy
                            && (more = watch.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                        drain(more);
                    }
                }
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException ignored) {
            // nothing to release further
        }
        thread.interrupt();
    }
}
