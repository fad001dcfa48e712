package dev.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code jwt.forward-claims} mapping: which claims of a verified token go upstream as which headers. A string
 * goes as is, a number or boolean as its JSON text, a list of strings comma-joined ({@code admin,ops}), an object as
 * JSON; characters a header cannot carry as they are (non-ASCII, control characters) are percent-encoded as UTF-8,
 * and so is {@code %}. An absent or null claim sends no header. Immutable and thread-safe.
 */
public final class IdentityHeaders {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Map<String, String> claimToHeader;
    private final List<Map.Entry<String, String>> byHeader;

    public IdentityHeaders(Map<String, String> claimToHeader) {
        this.claimToHeader = Map.copyOf(claimToHeader);
        this.byHeader = this.claimToHeader.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
    }

    /** The header names the gateway sets, lower-cased: a client must never be able to send these itself. */
    public Set<String> names() {
        return claimToHeader.values().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The headers for a verified token's claims, in a stable (header name) order. */
    public List<Map.Entry<String, String>> headers(Map<String, Object> claims) {
        List<Map.Entry<String, String>> out = new ArrayList<>(byHeader.size());
        for (Map.Entry<String, String> e : byHeader) {
            String value = headerValue(ClaimPath.lookup(claims, e.getKey()));
            if (value != null) out.add(Map.entry(e.getValue(), value));
        }
        return out;
    }

    private static String headerValue(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> encoded(s, false);
            case Boolean b -> b.toString();
            case List<?> list when list.stream().allMatch(String.class::isInstance) ->
                    list.stream().map(item -> encoded((String) item, true)).collect(Collectors.joining(","));
            default -> encoded(PlainClaims.json(value), false); // numbers, mixed lists, objects
        };
    }

    /**
     * The value as header text, one-to-one so two identities never look alike upstream: UTF-8 bytes outside visible
     * ASCII, {@code %} itself, spaces at either end (which HTTP would trim) and, in a list item, {@code ,} are
     * percent-encoded.
     */
    static String encoded(String value, boolean listItem) {
        int last = value.length() - 1;
        boolean plain = true;
        for (int i = 0; i <= last && plain; i++) {
            plain = passes(value.charAt(i), i, last, listItem);
        }
        if (plain) return value;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (passes(b, i, bytes.length - 1, listItem)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean passes(int c, int index, int last, boolean listItem) {
        return c > 0x20 && c < 0x7f && c != '%' && !(listItem && c == ',') || c == ' ' && index > 0 && index < last;
    }
}
