package dev.gateway.observe;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Human-readable operational messages (start, reload, shutdown), one line each with a UTC timestamp and a
 * level, normally on stderr so stdout stays pure JSON access log. Thread-safe.
 */
public final class EventLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;

    public EventLog(PrintStream out) {
        this.out = out;
    }

    public void info(String message) {
        write("INFO ", message);
    }

    public void warn(String message) {
        write("WARN ", message);
    }

    public void error(String message) {
        write("ERROR", message);
    }

    private void write(String level, String message) {
        out.println(TIME.format(Instant.now()) + " " + level + " " + message);
    }
}
