package dev.gateway.pipeline;

/**
 * Minimal JSON writing for the gateway's own small outputs (problems, access log lines, the admin API): strings,
 * and trees of maps, lists, strings, numbers, booleans and nulls.
 */
public final class Json {
    private Json() {
    }

    /** Appends {@code value} as a quoted JSON string, or {@code null}. */
    public static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int n = value.length();
        int plain = 0;
        while (plain < n) {
            char c = value.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\') break;
            plain++;
        }
        if (plain == n) { // the usual case on the access log's path: nothing to escape
            out.append(value).append('"');
            return;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = value.charAt(i);
            String escaped = escape(c);
            if (escaped != null) {
                out.append(escaped);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** How a JSON string writes {@code c}: its escape sequence, or null when {@code c} stands as itself. */
    public static String escape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 ? String.format("\\u%04x", (int) c) : null;
        };
    }

    /**
     * Appends {@code value}: a {@link java.util.Map} (string keys, in its iteration order) as an object, an
     * {@link Iterable} as an array, a number or boolean as itself, anything else as a string.
     */
    public static void value(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case java.util.Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(':');
                    value(out, e.getValue());
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) out.append(',');
                    first = false;
                    value(out, item);
                }
                out.append(']');
            }
            case Double d when d.isNaN() || d.isInfinite() -> string(out, d.toString());
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> string(out, value.toString());
        }
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(1024);
        value(out, value);
        return out.toString();
    }
}
