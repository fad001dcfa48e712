package dev.gateway.auth;

import java.time.Duration;

/** Short human text for verification outcomes and key descriptions; never echoes more than a bounded snippet. */
final class Wording {
    private static final int MAX_QUOTED = 40;

    private Wording() {
    }

    /** {@code value} in single quotes, cut to 40 characters, control characters replaced: it may be hostile input. */
    static String quote(String value) {
        String cut = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "…" : value;
        return "'" + cut.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }

    /** {@code 1 second}, {@code 5 minutes}, {@code 3 hours}, {@code 2 days}: whole units, rounded down. */
    static String words(Duration d) {
        long s = Math.abs(d.toSeconds());
        if (s < 120) return plural(s, "second");
        if (s < 120 * 60) return plural(s / 60, "minute");
        if (s < 48 * 3600) return plural(s / 3600, "hour");
        return plural(s / 86_400, "day");
    }

    /** {@code 12s}, {@code 4m}, {@code 3h}, {@code 2d}: for key listings. */
    static String compact(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + "s";
        if (s < 120 * 60) return s / 60 + "m";
        if (s < 48 * 3600) return s / 3600 + "h";
        return s / 86_400 + "d";
    }

    /** {@code 1 key}, {@code 3 keys}. */
    static String count(long n, String unit) {
        return plural(n, unit);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
