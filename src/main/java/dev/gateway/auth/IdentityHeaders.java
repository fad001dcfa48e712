package dev.gateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code jwt.forward-claims} mapping: which claims of a verified token go upstream as which headers. A string
 * goes as is, a number or boolean as its JSON text, a list of strings comma-joined ({@code admin,ops}), an object as
 * JSON. A claim that is absent, null, or whose text has control characters is not sent (such a value cannot be a
 * header). Immutable and thread-safe.
 */
public final class IdentityHeaders {
    private final Map<String, String> claimToHeader;

    public IdentityHeaders(Map<String, String> claimToHeader) {
        this.claimToHeader = Map.copyOf(claimToHeader);
    }

    /** The header names the gateway sets, lower-cased: a client must never be able to send these itself. */
    public Set<String> names() {
        return claimToHeader.values().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The headers for a verified token's claims, in a stable (header name) order. */
    public List<Map.Entry<String, String>> headers(Map<String, Object> claims) {
        List<Map.Entry<String, String>> out = new ArrayList<>(claimToHeader.size());
        claimToHeader.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            String value = text(ClaimPath.lookup(claims, e.getKey()));
            if (value != null && isHeaderSafe(value)) out.add(Map.entry(e.getValue(), value));
        });
        return out;
    }

    private static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b.toString();
            case List<?> list when list.stream().allMatch(String.class::isInstance) ->
                    list.stream().map(String.class::cast).collect(Collectors.joining(","));
            default -> PlainClaims.json(value); // numbers, mixed lists, objects
        };
    }

    private static boolean isHeaderSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) return false;
        }
        return true;
    }
}
