package dev.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code jwt} section; absent keys take the defaults documented on {@link JwtConfig}. */
final class JwtBinder {
    static final List<String> KEYS = List.of("issuer", "audiences", "clock-skew", "roles-claim", "max-token-size",
            "keys", "forward-claims");

    private final NodeReader reader;
    private final Findings findings;
    private final Path baseDir;

    JwtBinder(NodeReader reader, Path baseDir) {
        this.reader = reader;
        this.findings = reader.findings();
        this.baseDir = baseDir;
    }

    /** Empty when {@code node} is null (no section); null after recording errors. */
    Optional<JwtConfig> bind(Node node) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, "jwt", KEYS);
        if (f == null) return null;
        boolean ok = true;

        Optional<String> issuer = Optional.empty();
        if (f.get("issuer") != null) {
            String text = reader.nonBlank(f.get("issuer"), f.child("issuer"));
            ok &= text != null;
            issuer = Optional.ofNullable(text);
        }
        List<String> audiences = List.of();
        if (f.get("audiences") != null) {
            audiences = reader.strings(f.get("audiences"), f.child("audiences"));
            ok &= audiences != null;
        }
        Duration skew = JwtConfig.DEFAULT_CLOCK_SKEW;
        if (f.get("clock-skew") != null) {
            skew = reader.duration(f.get("clock-skew"), f.child("clock-skew"), true);
            ok &= skew != null;
        }
        String rolesClaim = JwtConfig.DEFAULT_ROLES_CLAIM;
        if (f.get("roles-claim") != null) {
            rolesClaim = reader.nonBlank(f.get("roles-claim"), f.child("roles-claim"));
            ok &= rolesClaim != null;
        }
        Long maxSize = JwtConfig.DEFAULT_MAX_TOKEN_SIZE;
        if (f.get("max-token-size") != null) {
            maxSize = reader.size(f.get("max-token-size"), f.child("max-token-size"));
            ok &= maxSize != null;
        }
        List<KeyConfig> keys = null;
        if (f.get("keys") == null) {
            findings.error(f.node(), "jwt", "missing required key 'keys'");
        } else {
            keys = new KeyBinder(reader, baseDir).bind(f.get("keys"), f.child("keys"));
        }
        ok &= keys != null;
        Map<String, String> forward = Map.of();
        if (f.get("forward-claims") != null) {
            forward = forwardClaims(f.get("forward-claims"), f.child("forward-claims"));
            ok &= forward != null;
        }
        return ok ? Optional.of(new JwtConfig(issuer, audiences, skew, keys, forward, rolesClaim, maxSize)) : null;
    }

    /** Claim name to header name; one claim per header, compared ignoring case. */
    private Map<String, String> forwardClaims(Node node, String path) {
        Fields f = reader.fields(node, path, null);
        if (f == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Fields.Entry> headers = new HashMap<>();
        boolean ok = true;
        for (Fields.Entry e : f.entries()) {
            String header = reader.nonBlank(e.value(), f.child(e.key()));
            if (header == null) {
                ok = false;
                continue;
            }
            if (!RouteBinder.TOKEN.matcher(header).matches()) {
                findings.error(e.value(), f.child(e.key()), "invalid header name '" + header
                        + "' (expected a header name such as X-User-Id)");
                ok = false;
                continue;
            }
            Fields.Entry first = headers.putIfAbsent(header.toLowerCase(Locale.ROOT), e);
            if (first != null) {
                findings.error(e.value(), f.child(e.key()), "claims '" + first.key() + "' and '" + e.key()
                        + "' both forward to header " + header + " (first at line " + findings.at(first.value()).line()
                        + "; header names ignore case)");
                ok = false;
                continue;
            }
            out.put(e.key(), header);
        }
        return ok ? out : null;
    }
}
