package dev.gateway.auth;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.gateway.config.JwtConfig;
import dev.gateway.config.KeyConfig;
import dev.gateway.observe.EventLog;

/**
 * Verifies bearer tokens exactly as serve does: signature against the configured keys (by kid when the token has
 * one), then exp/nbf/iat with the configured skew, issuer and audience. The constructor loads and checks every
 * static key and opens no sockets, so {@code gateway validate} builds one too; {@link #start()} begins JWKS fetching
 * on virtual threads. A token verified in the last minute is not checked again until then (see VerifiedTokens).
 * Thread-safe; close() stops background JWKS refresh.
 */
public final class TokenVerifier implements AutoCloseable {
    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384,
            JWSAlgorithm.HS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final Clock clock;
    private final long maxTokenSize;
    private final ClaimChecks checks;
    private final VerifiedTokens recent;
    private final List<VerificationKey> staticKeys;
    private final List<JwksSource> sources;
    private final Object lock = new Object();
    private HttpClient client; // guarded by lock
    private boolean closed; // guarded by lock

    /** Loads every key; throws IllegalArgumentException naming {@code keys[i]} for one that is unusable. */
    public TokenVerifier(JwtConfig config, Clock clock, EventLog events) {
        this.clock = clock;
        this.maxTokenSize = config.maxTokenSize();
        this.checks = new ClaimChecks(config.issuer(), config.audiences(), config.clockSkew());
        this.recent = new VerifiedTokens(config.clockSkew());
        List<VerificationKey> keys = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<JwksSource> jwks = new ArrayList<>();
        for (int i = 0; i < config.keys().size(); i++) {
            KeyConfig key = config.keys().get(i);
            try {
                if (key instanceof KeyConfig.JwksUrl url) {
                    jwks.add(new JwksSource(url.url(), url.refresh(), clock, events));
                } else {
                    keys.add(staticKey(key));
                    positions.add(i);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keys[" + i + "]: " + e.getMessage(), e);
            }
        }
        this.staticKeys = distinctlyDescribed(keys, positions);
        this.sources = List.copyOf(jwks);
    }

    /** Checks one static key (HMAC secret, PEM file) as the constructor does; a JWKS URL is checked by fetching. */
    public static void checkKey(KeyConfig key) {
        if (!(key instanceof KeyConfig.JwksUrl)) {
            staticKey(key);
        }
    }

    /** Begins fetching the JWKS sources in the background, the first fetch at once. Idempotent. */
    public void start() {
        synchronized (lock) {
            if (closed || client != null || sources.isEmpty()) return;
            client = HttpClient.newBuilder().connectTimeout(JwksSource.FETCH_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            sources.forEach(source -> source.start(client));
        }
    }

    /** Waits until every JWKS source has been fetched once (or failed); true when all have keys from a good fetch. */
    public boolean awaitKeys(Duration timeout) {
        synchronized (lock) {
            if (client == null && !sources.isEmpty()) throw new IllegalStateException("awaitKeys before start()");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        try {
            for (JwksSource source : sources) {
                all &= source.awaitFirstFetch(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return all;
    }

    /** Never throws: a token is either {@link Verification.Valid} or {@link Verification.Invalid} with a reason. */
    public Verification verify(String token) {
        Instant now = clock.instant();
        Object[] generation = generation();
        Verification.Valid known = token == null ? null : recent.get(token, now, generation);
        if (known != null) return known;
        try {
            SignedJWT jwt = CompactToken.parse(token, maxTokenSize);
            JWTClaimsSet claims = CompactToken.claims(jwt);
            VerificationKey signer = signer(jwt);
            checks.check(claims, now);
            Verification.Valid valid = new Verification.Valid(PlainClaims.copy(claims.toJSONObject()),
                    signer.description(), ClaimChecks.instant(claims.getExpirationTime()));
            recent.put(token, valid, now, generation);
            return valid;
        } catch (TokenRejected e) {
            return new Verification.Invalid(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            return new Verification.Invalid(RejectReason.ERROR,
                    "token could not be verified (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** One line per key source, never secret material. */
    public List<String> describeKeys() {
        return Stream.concat(staticKeys.stream().map(VerificationKey::description),
                sources.stream().map(JwksSource::describe)).toList();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            sources.forEach(JwksSource::close);
            if (client != null) client.shutdownNow();
        }
    }

    private VerificationKey signer(SignedJWT jwt) throws TokenRejected {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!SUPPORTED.contains(alg)) {
            throw new TokenRejected(RejectReason.UNSUPPORTED,
                    "algorithm " + Wording.quote(alg.getName()) + " is not supported");
        }
        Optional<String> kid = Optional.ofNullable(jwt.getHeader().getKeyID());
        List<VerificationKey> keys = keys();
        if (kid.isPresent() && !hasKid(keys, kid) && !sources.isEmpty()) {
            sources.forEach(JwksSource::refetchForUnknownKid);
            keys = keys();
        }
        List<VerificationKey> candidates = keys.stream().filter(k -> k.mayVerify(alg, kid)).toList();
        for (VerificationKey key : candidates) {
            try {
                if (jwt.verify(key.verifier())) return key;
            } catch (JOSEException e) {
                // a key that cannot check this signature is simply not the signer
            }
        }
        if (kid.isPresent() && !hasKid(keys, kid)) {
            throw new TokenRejected(RejectReason.UNKNOWN_KEY, "unknown key id " + Wording.quote(kid.get())
                    + (candidates.isEmpty() ? "" : ", and no key without a kid matches the signature"));
        }
        if (candidates.isEmpty()) {
            throw new TokenRejected(RejectReason.UNKNOWN_KEY,
                    "no configured key can verify " + alg.getName() + " tokens"
                    + kid.map(k -> " with key id " + Wording.quote(k)).orElse(""));
        }
        throw new TokenRejected(RejectReason.BAD_SIGNATURE, "signature does not match any configured key");
    }

    /** What the key set is made of now, by identity: static keys never change, each JWKS fetch is new. */
    private Object[] generation() {
        Object[] out = new Object[sources.size()];
        for (int i = 0; i < out.length; i++) out[i] = sources.get(i).generation();
        return out;
    }

    private List<VerificationKey> keys() {
        if (sources.isEmpty()) return staticKeys;
        List<VerificationKey> all = new ArrayList<>(staticKeys);
        sources.forEach(source -> all.addAll(source.keys()));
        return all;
    }

    private static boolean hasKid(List<VerificationKey> keys, Optional<String> kid) {
        return keys.stream().anyMatch(k -> k.kid().equals(kid));
    }

    private static VerificationKey staticKey(KeyConfig key) {
        return switch (key) {
            case KeyConfig.HmacSecret hmac -> VerificationKey.hmac(hmac.secret(), hmac.kid());
            case KeyConfig.PublicKeyFile file -> {
                try {
                    var pk = PemKeys.parse(file.pem());
                    yield VerificationKey.publicKey(pk, "public-key " + file.path() + " " + PemKeys.describe(pk),
                            file.kid(), Optional.empty());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file.path() + ": " + e.getMessage(), e);
                }
            }
            case KeyConfig.JwksUrl url -> throw new IllegalStateException("JWKS keys are fetched, not loaded");
        };
    }

    /** Two identical descriptions (say two kid-less secrets) get their config position, so verifiedBy is exact. */
    private static List<VerificationKey> distinctlyDescribed(List<VerificationKey> keys, List<Integer> positions) {
        Map<String, Integer> counts = new HashMap<>();
        keys.forEach(k -> counts.merge(k.description(), 1, Integer::sum));
        List<VerificationKey> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            VerificationKey k = keys.get(i);
            String description = k.description() + " (keys[" + positions.get(i) + "])";
            out.add(counts.get(k.description()) == 1 ? k
                    : new VerificationKey(description, k.kid(), k.algorithms(), k.verifier()));
        }
        return List.copyOf(out);
    }
}
