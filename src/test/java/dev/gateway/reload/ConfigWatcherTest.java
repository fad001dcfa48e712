package dev.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher sees each way a config file gets replaced, through events alone (the poll is set far away). */
class ConfigWatcherTest {
    private static final Duration NO_POLL = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();

    private ConfigWatcher watch(Path file) throws IOException {
        return new ConfigWatcher(file, Duration.ofMillis(50), NO_POLL, () -> {
            try {
                seen.add(Files.readString(file));
            } catch (IOException e) {
                seen.add("unreadable");
            }
        });
    }

    private void awaitContent(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String s = seen.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(s)) return;
        }
        throw new AssertionError("watcher never reported content '" + expected + "'");
    }

    @Test
    void seesInPlaceWritesAndEditorStyleRenames() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "v1");
        try (ConfigWatcher w = watch(file)) {
            Files.writeString(file, "v2");
            awaitContent("v2");
            Path tmp = dir.resolve(".gateway.yaml.swp");
            Files.writeString(tmp, "v3");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitContent("v3");
        }
    }

    @Test
    void seesAKubernetesConfigMapSymlinkSwap() throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_11_24_1"));
        Files.writeString(v1.resolve("gateway.yaml"), "v1");
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = dir.resolve("gateway.yaml");
        Files.createSymbolicLink(file, Path.of("..data/gateway.yaml"));
        try (ConfigWatcher w = watch(file)) {
            Path v2 = Files.createDirectory(dir.resolve("..2026_11_24_2"));
            Files.writeString(v2.resolve("gateway.yaml"), "v2");
            Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            awaitContent("v2");
        }
    }

    @Test
    void aBusyNeighbourFileDoesNotHoldReloadsOff() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "v1");
        AtomicBoolean stop = new AtomicBoolean();
        Thread noisy = Thread.ofVirtual().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    Files.writeString(dir.resolve("access.log"), "line " + i);
                    Thread.sleep(5);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        try (ConfigWatcher w = watch(file)) {
            Thread.sleep(200);
            seen.clear();
            Thread.sleep(300);
            assertThat(seen).as("neighbour events alone never call back").isEmpty();
            Files.writeString(file, "v2");
            awaitContent("v2");
        } finally {
            stop.set(true);
            noisy.join();
        }
    }
}
