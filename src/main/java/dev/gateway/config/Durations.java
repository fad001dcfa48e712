package dev.gateway.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict durations for the config and the CLI: a whole number and a unit, {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}; nothing else. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    /** Parses {@code text}; throws IllegalArgumentException with a message fit for a config error. */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "' (expected a number with a unit: 250ms, 30s, 5m, 1h)");
        }
        ChronoUnit unit = switch (m.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            default -> ChronoUnit.HOURS;
        };
        try {
            return Duration.of(Long.parseLong(m.group(1)), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too large");
        }
    }
}
