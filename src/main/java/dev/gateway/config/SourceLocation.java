package dev.gateway.config;

/** A 1-based line and column in a named file, printed as {@code file:line:column}. */
public record SourceLocation(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
