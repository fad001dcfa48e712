package dev.gateway.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches the config file's directory (not the file: editors save by rename and Kubernetes swaps a symlink) and
 * calls back once a burst of changes to the file has been quiet for {@code debounce}. Also calls back every
 * {@code pollEvery} as a safety net for missed events (a config reached through a symlink into another
 * directory is seen this way); the callback compares content hashes, so a spurious call costs one file read.
 * Runs on its own virtual thread until closed.
 */
public final class ConfigWatcher implements AutoCloseable {
    private final String fileName;
    private final Duration debounce;
    private final Duration pollEvery;
    private final Runnable onChange;
    private final WatchService watch;
    private final Thread thread;

    public ConfigWatcher(Path file, Duration debounce, Duration pollEvery, Runnable onChange) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        this.fileName = file.getFileName().toString();
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
            long nextPoll = System.nanoTime() + pollEvery.toNanos();
            while (true) {
                WatchKey key = watch.poll(Math.max(0, nextPoll - System.nanoTime()), TimeUnit.NANOSECONDS);
                boolean changed = key != null && drain(key);
                if (changed) settle();
                if (changed || System.nanoTime() >= nextPoll) {
                    onChange.run();
                    nextPoll = System.nanoTime() + pollEvery.toNanos();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /**
     * Lets a burst of saves settle: returns once the config has been quiet for the debounce period, or after
     * {@code pollEvery} at most. Events about other files in the directory (a busy log) do not count.
     */
    private void settle() throws InterruptedException {
        long now = System.nanoTime();
        long giveUp = now + pollEvery.toNanos();
        long quietUntil = now + debounce.toNanos();
        while (now < quietUntil && now < giveUp) {
            WatchKey more = watch.poll(Math.min(quietUntil, giveUp) - now, TimeUnit.NANOSECONDS);
            now = System.nanoTime();
            if (more != null && drain(more)) quietUntil = now + debounce.toNanos();
        }
    }

    /** Consumes a key's events; true when one may concern the config file. */
    private boolean drain(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            relevant |= concernsConfig(event);
        }
        key.reset();
        return relevant;
    }

    /**
     * The file itself (saved in place or renamed over), Kubernetes' {@code ..data} symlink swap, or lost events
     * (overflow). Editors' temporary and backup files are ignored; the final rename is what counts.
     */
    private boolean concernsConfig(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) return true;
        String name = String.valueOf(event.context());
        return name.equals(fileName) || name.startsWith("..");
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
