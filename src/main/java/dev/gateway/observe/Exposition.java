package dev.gateway.observe;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and {@code # TYPE} line per family,
 * then its samples, label values escaped. Not thread-safe: one per scrape.
 */
public final class Exposition {
    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family; every sample of it must follow before the next family starts. */
    public void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample; {@code labels} alternate name and value. */
    public void sample(String name, long value, String... labels) {
        series(name, labels);
        out.append(value).append('\n');
    }

    public void sample(String name, double value, String... labels) {
        series(name, labels);
        out.append(Double.isInfinite(value) ? (value > 0 ? "+Inf" : "-Inf") : Double.toString(value)).append('\n');
    }

    private void series(String name, String[] labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) out.append(',');
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
