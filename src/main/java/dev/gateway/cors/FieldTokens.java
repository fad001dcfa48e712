package dev.gateway.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Parsing of the token-valued CORS request headers (method names, comma-separated header names). */
final class FieldTokens {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Fetch "normalize a method": only these are upper-cased; {@code patch} stays {@code patch}. */
    private static final Set<String> NORMALIZED_METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");

    private FieldTokens() {
    }

    static boolean isToken(String text) {
        return TOKEN.matcher(text).matches();
    }

    /** A method as Fetch normalizes it, or empty when the text is not a token. */
    static Optional<String> method(String text) {
        String value = text.strip();
        if (!isToken(value)) {
            return Optional.empty();
        }
        String upper = value.toUpperCase(Locale.ROOT);
        return Optional.of(NORMALIZED_METHODS.contains(upper) ? upper : value);
    }

    /**
     * Lower-cased, de-duplicated names of a comma-separated list ({@code null} is the empty list); empty
     * elements are skipped as RFC 9110 asks, and empty is returned when an element is not a token.
     */
    static Optional<List<String>> names(String list) {
        List<String> names = new ArrayList<>();
        if (list == null) {
            return Optional.of(names);
        }
        for (String part : list.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!isToken(name)) {
                return Optional.empty();
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return Optional.of(List.copyOf(names));
    }
}
