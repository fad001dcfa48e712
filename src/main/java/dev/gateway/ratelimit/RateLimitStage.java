package dev.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.gateway.config.RateLimitPolicyConfig;

/**
 * One route's rate limits: takes a token from each of its policies' buckets, in order, for the request's key (the
 * client ip, the token's subject, or a header), and says 429 when one is empty. A bucket is named by the policy, its
 * rate and burst (so a changed policy starts afresh while unchanged ones keep their state across reloads), the route
 * (unless the policy is global) and the key. While the store cannot answer, the request passes or gets 503 as
 * configured. Immutable and thread-safe.
 */
public final class RateLimitStage {
    public static final RateLimitStage NONE = new RateLimitStage(null, true, List.of(), "");
    /** Keys longer than this (a long header value) are hashed, so a client cannot make buckets arbitrarily large. */
    static final int MAX_KEY_TEXT = 64;
    private static final long SECOND = 1_000_000_000L;

    private record Limit(RateLimitPolicyConfig policy, String bucketPrefix, BucketSpec spec) {
    }

    private final BucketStore store;
    private final boolean failOpen;
    private final List<Limit> limits;

    /** {@code policies}: this route's, in order; {@code route}: its name, for per-route buckets. */
    public RateLimitStage(BucketStore store, boolean failOpen, List<RateLimitPolicyConfig> policies, String route) {
        this.store = store;
        this.failOpen = failOpen;
        List<Limit> out = new ArrayList<>();
        for (RateLimitPolicyConfig p : policies) {
            BucketSpec spec = new BucketSpec(p.burst(), Math.max(1, p.per().toNanos() / p.tokens()));
            String prefix = p.name() + "|" + p.tokens() + "/" + p.per().toSeconds() + "s|" + p.burst() + "|"
                    + (p.global() ? "*" : route) + "|";
            out.add(new Limit(p, prefix, spec));
        }
        this.limits = List.copyOf(out);
    }

    public boolean isLimited() {
        return !limits.isEmpty();
    }

    /**
     * Checks the request: {@code clientIp} as resolved, {@code subject} the verified token's sub (null when
     * anonymous), {@code header} a request header by lower-case name.
     */
    public RateLimitDecision check(String clientIp, String subject, Function<String, String> header) {
        if (limits.isEmpty()) return RateLimitDecision.Pass.UNLIMITED;
        Take tightest = null;
        Limit tightestLimit = null;
        boolean storeFailed = false;
        for (Limit limit : limits) {
            Take take;
            try {
                take = store.take(limit.bucketPrefix() + key(limit.policy(), clientIp, subject, header), limit.spec());
            } catch (StoreUnavailable e) {
                if (failOpen) {
                    storeFailed = true;
                    continue;
                }
                return new RateLimitDecision.Unavailable(e.getMessage());
            }
            if (!take.allowed()) {
                List<Map.Entry<String, String>> headers = new ArrayList<>(headers(limit, take));
                long retry = Math.max(1, seconds(take.retryAfterNanos()));
                headers.add(Map.entry("Retry-After", Long.toString(retry)));
                return new RateLimitDecision.Limited(limit.policy().name(), retry, headers);
            }
            if (tightest == null || take.remaining() < tightest.remaining()) {
                tightest = take;
                tightestLimit = limit;
            }
        }
        if (tightest == null) return storeFailed ? RateLimitDecision.Pass.UNCHECKED : RateLimitDecision.Pass.UNLIMITED;
        return new RateLimitDecision.Pass(headers(tightestLimit, tightest), storeFailed);
    }

    private static List<Map.Entry<String, String>> headers(Limit limit, Take take) {
        return List.of(Map.entry("RateLimit-Limit", Long.toString(limit.spec().burst())),
                Map.entry("RateLimit-Remaining", Long.toString(take.remaining())),
                Map.entry("RateLimit-Reset", Long.toString(seconds(take.resetNanos()))));
    }

    private static String key(RateLimitPolicyConfig policy, String clientIp, String subject,
                              Function<String, String> header) {
        return switch (policy.key()) {
            case IP -> "ip:" + clientIp;
            case USER -> subject == null ? "ip:" + clientIp : "user:" + bounded(subject);
            case HEADER -> {
                String value = header.apply(policy.header().orElseThrow());
                yield value == null || value.isBlank() ? "ip:" + clientIp : "header:" + bounded(value.strip());
            }
        };
    }

    private static String bounded(String text) {
        if (text.length() <= MAX_KEY_TEXT) return text;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whole seconds, rounded up. */
    private static long seconds(long nanos) {
        return (nanos + SECOND - 1) / SECOND;
    }
}
