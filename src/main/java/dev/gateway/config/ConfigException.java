package dev.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a file cannot become a running configuration; carries every finding, sorted, warnings included. */
public final class ConfigException extends Exception {
    private final List<ConfigError> findings;

    public ConfigException(List<ConfigError> findings) {
        super(findings.stream().filter(ConfigError::isError).map(ConfigError::toString)
                .collect(Collectors.joining("\n")));
        this.findings = findings.stream().sorted().toList();
    }

    public List<ConfigError> findings() {
        return findings;
    }
}
