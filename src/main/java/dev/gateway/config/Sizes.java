package dev.gateway.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as written in the config file: a whole number of bytes, or a whole number with a unit
 * {@code B}, {@code KiB}/{@code MiB}/{@code GiB} (powers of 1024) or {@code KB}/{@code MB}/{@code GB} (powers of
 * 1000). Units are case-sensitive. Stateless and thread-safe.
 */
public final class Sizes {
    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(B|KiB|MiB|GiB|KB|MB|GB)?");
    private static final String[] UNITS = {"GiB", "MiB", "KiB", "GB", "MB", "KB"};
    private static final long[] FACTORS = {1L << 30, 1L << 20, 1L << 10, 1_000_000_000L, 1_000_000L, 1_000L};

    private Sizes() {
    }

    /** The shortest exact spelling: {@code 10MiB}, {@code 2GB}, {@code 1500B}; binary units are preferred. */
    public static String format(long bytes) {
        if (bytes > 0) {
            for (int i = 0; i < UNITS.length; i++) {
                if (bytes % FACTORS[i] == 0) return bytes / FACTORS[i] + UNITS[i];
            }
        }
        return bytes + "B";
    }

    /** Parses {@code text} (zero allowed; callers check the range); throws IllegalArgumentException fit for a config error. */
    static long parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "' (expected bytes or a number with a unit: 512KiB, 10MiB, 1GiB, 500KB, 10MB)");
        }
        long factor = 1;
        if (m.group(2) != null && !m.group(2).equals("B")) {
            for (int i = 0; i < UNITS.length; i++) {
                if (UNITS[i].equals(m.group(2))) factor = FACTORS[i];
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
    }
}
