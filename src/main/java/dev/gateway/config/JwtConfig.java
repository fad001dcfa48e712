package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How bearer tokens are verified. Defaults: clock-skew 30s, roles-claim {@code roles}, max-token-size 8KiB; no
 * issuer or audience check unless configured.
 *
 * @param forwardClaims claim name to the header it is sent upstream as (e.g. sub to X-User-Id)
 */
public record JwtConfig(Optional<String> issuer, List<String> audiences, Duration clockSkew, List<KeyConfig> keys,
                        Map<String, String> forwardClaims, String rolesClaim, long maxTokenSize) {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_TOKEN_SIZE = 8 * 1024;
    public static final String DEFAULT_ROLES_CLAIM = "roles";

    public JwtConfig {
        audiences = List.copyOf(audiences);
        keys = List.copyOf(keys);
        forwardClaims = Map.copyOf(forwardClaims);
    }
}
