package dev.gateway.config;

/**
 * One finding about a config file: where it is, which key it concerns ({@code routes[2].upstream}), what is
 * wrong, and whether it stops the file from loading. Printed as
 * {@code gateway.yaml:14:17: error: routes[2].upstream: unknown upstream 'billing' (known: orders, users)}.
 */
public record ConfigError(SourceLocation location, Severity severity, String path, String message)
        implements Comparable<ConfigError> {

    /** Errors stop a load; warnings are reported and the file still loads. */
    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public int compareTo(ConfigError o) {
        int c = Integer.compare(location.line(), o.location.line());
        if (c == 0) c = Integer.compare(location.column(), o.location.column());
        if (c == 0) c = path.compareTo(o.path);
        return c == 0 ? message.compareTo(o.message) : c;
    }

    @Override
    public String toString() {
        return location + ": " + severity.name().toLowerCase() + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
