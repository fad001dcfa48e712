package dev.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects errors, warnings and value locations while one file is bound; one instance per load, not shared. */
final class Findings {
    private final String file;
    private final List<ConfigError> findings = new ArrayList<>();
    private final Map<String, SourceLocation> locations = new HashMap<>();

    Findings(String file) {
        this.file = file;
    }

    SourceLocation top() {
        return new SourceLocation(file, 1, 1);
    }

    /** YAML marks are 0-based; users read 1-based. */
    SourceLocation at(Mark mark) {
        return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    SourceLocation at(Node node) {
        return node.getStartMark().map(this::at).orElse(top());
    }

    void error(Node node, String path, String message) {
        error(at(node), path, message);
    }

    void error(SourceLocation location, String path, String message) {
        findings.add(new ConfigError(location, ConfigError.Severity.ERROR, path, message));
    }

    void warn(SourceLocation location, String path, String message) {
        findings.add(new ConfigError(location, ConfigError.Severity.WARNING, path, message));
    }

    /** Remembers where the value of {@code path} was written. */
    void locate(String path, Node value) {
        if (!path.isEmpty()) locations.put(path, at(value));
    }

    SourceLocation location(String path) {
        return locations.getOrDefault(path, top());
    }

    Map<String, SourceLocation> locations() {
        return locations;
    }

    boolean hasErrors() {
        return findings.stream().anyMatch(ConfigError::isError);
    }

    List<ConfigError> sorted() {
        return findings.stream().sorted().toList();
    }

    List<ConfigError> warnings() {
        return findings.stream().filter(f -> !f.isError()).sorted().toList();
    }
}
