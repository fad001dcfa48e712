package dev.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A successfully loaded file: the config, where each key was written (by path such as {@code routes[2].upstream}),
 * the warnings found, the SHA-256 of the file's bytes (hex) so reloads can skip unchanged content, and the text as
 * written (before {@code ${VAR}} substitution) for the admin API's redacted view.
 */
public record LoadedConfig(Path file, GatewayConfig config, Map<String, SourceLocation> locations,
                           List<ConfigError> warnings, String sha256, String source) {
    public LoadedConfig {
        locations = Map.copyOf(locations);
        warnings = List.copyOf(warnings);
    }

    /** The location of a key, or of its nearest written ancestor, or the top of the file. */
    public SourceLocation locate(String path) {
        String p = path;
        while (true) {
            SourceLocation l = locations.get(p);
            if (l != null) return l;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) return new SourceLocation(file.getFileName().toString(), 1, 1);
            p = p.substring(0, cut);
        }
    }
}
