package dev.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * One named token-bucket policy: {@code tokens} earned every {@code per} (a rate such as {@code 10/s}), at most
 * {@code burst} held (default: the rate's count); counted per client {@code key} ({@code ip}, {@code user}: the
 * token's subject, else the ip; or {@code header:NAME}: that header's value, else the ip), separately for each route
 * unless {@code global}.
 *
 * @param header the lower-case header name when {@code key} is {@link Key#HEADER}
 */
public record RateLimitPolicyConfig(String name, long tokens, Duration per, long burst, Key key,
                                    Optional<String> header, boolean global) {
    /** What a bucket is counted by. */
    public enum Key { IP, USER, HEADER }
}
