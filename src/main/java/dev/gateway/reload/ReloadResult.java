package dev.gateway.reload;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reload attempt, as the admin API shows it: when, whether the new file is serving, the SHA-256
 * of the content tried, and the located errors when it was rejected (empty when it was applied).
 */
public record ReloadResult(Instant at, boolean applied, String sha256, List<String> errors) {
    public ReloadResult {
        errors = List.copyOf(errors);
    }
}
