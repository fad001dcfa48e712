package dev.gateway.cli;

/** The {@code gateway} executable's entry point. */
public final class Main {
    /**
     * The JDK's poller for blocking socket I/O on virtual threads. Mode 1 (a platform thread that waits in epoll and
     * hands ready connections to the scheduler) instead of JDK 25's default mode 2 (pollers that are themselves
     * virtual threads, queued behind the requests): in {@code scripts/bench} runs on 2 cores it cut the gateway's p99
     * by a third to a half for about 5% of throughput. {@code -Djdk.pollerMode=2} on the command line still wins.
     */
    static final String POLLER_MODE = "jdk.pollerMode";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(POLLER_MODE) == null) System.setProperty(POLLER_MODE, "1"); // before any socket I/O
        System.exit(Cli.run(System.out, System.err, args));
    }
}
