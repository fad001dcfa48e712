package dev.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code rate-limits} section; absent keys take the defaults documented on {@link RateLimitsConfig}. */
final class RateLimitsBinder {
    static final List<String> KEYS = List.of("store", "on-store-failure", "store-timeout", "policies");
    static final List<String> POLICY_KEYS = List.of("rate", "burst", "key", "scope");
    static final List<String> FAILURE_MODES = List.of("allow", "deny");
    static final List<String> SCOPES = List.of("route", "global");
    /** A bucket is one GCRA interval in nanoseconds: faster than this many per second would round to nothing. */
    static final long MAX_PER_SECOND = 1_000_000;
    static final long MAX_BURST = 1_000_000;
    private static final Pattern RATE = Pattern.compile("([0-9]{1,9})\\s*/\\s*(s|m|h)");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private final NodeReader reader;
    private final Findings findings;
    private final Map<String, String> declared = new LinkedHashMap<>();

    RateLimitsBinder(NodeReader reader) {
        this.reader = reader;
        this.findings = reader.findings();
    }

    /** Every policy name written (valid or not) to its path, so routes can name broken policies without a second error. */
    Map<String, String> declared() {
        return declared;
    }

    /** Empty when {@code node} is null; null after recording errors. */
    Optional<RateLimitsConfig> bind(Node node) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, "rate-limits", KEYS);
        if (f == null) return null;
        boolean ok = true;
        String store = RateLimitsConfig.MEMORY;
        if (f.get("store") != null) {
            store = store(f.get("store"), f.child("store"));
            ok &= store != null;
        }
        boolean failOpen = true;
        if (f.get("on-store-failure") != null) {
            String mode = reader.string(f.get("on-store-failure"), f.child("on-store-failure"));
            if (mode != null && !FAILURE_MODES.contains(mode)) {
                findings.error(f.get("on-store-failure"), f.child("on-store-failure"), "unknown value '" + mode
                        + "' (allow: requests pass while the store is down; deny: they get 503)"
                        + Suggestions.didYouMean(mode, FAILURE_MODES));
                mode = null;
            }
            ok &= mode != null;
            failOpen = !"deny".equals(mode);
        }
        Duration timeout = RateLimitsConfig.DEFAULT_STORE_TIMEOUT;
        if (f.get("store-timeout") != null) {
            timeout = reader.duration(f.get("store-timeout"), f.child("store-timeout"), false);
            ok &= timeout != null;
        }
        Map<String, RateLimitPolicyConfig> policies = Map.of();
        if (f.get("policies") == null) {
            findings.error(f.node(), "rate-limits", "missing required key 'policies'");
            ok = false;
        } else {
            policies = policies(f.get("policies"), f.child("policies"));
            ok &= policies != null;
        }
        return ok ? Optional.of(new RateLimitsConfig(store, failOpen, timeout, policies)) : null;
    }

    private Map<String, RateLimitPolicyConfig> policies(Node node, String path) {
        Fields f = reader.fields(node, path, null);
        if (f == null) return null;
        Map<String, RateLimitPolicyConfig> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Fields.Entry e : f.entries()) {
            String policyPath = f.child(e.key());
            declared.put(e.key(), policyPath);
            boolean named = UpstreamBinder.NAME.matcher(e.key()).matches();
            if (!named) {
                findings.error(e.keyNode(), policyPath, "invalid policy name '" + e.key()
                        + "' (use letters, digits, '_', '.' and '-', starting with a letter or digit)");
            }
            RateLimitPolicyConfig p = policy(e.key(), e.value(), policyPath);
            ok &= p != null && named;
            if (p != null) out.put(e.key(), p);
        }
        return ok ? out : null;
    }

    private RateLimitPolicyConfig policy(String name, Node node, String path) {
        Fields f = reader.fields(node, path, POLICY_KEYS);
        if (f == null) return null;
        if (f.get("rate") == null) {
            findings.error(f.node(), path, "missing required key 'rate' (e.g. rate: 10/s)");
            return null;
        }
        String rateText = reader.string(f.get("rate"), f.child("rate"));
        if (rateText == null) return null;
        Matcher m = RATE.matcher(rateText.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            findings.error(f.get("rate"), f.child("rate"), "invalid rate '" + rateText
                    + "' (expected a count per second, minute or hour: 10/s, 600/m, 1000/h)");
            return null;
        }
        long tokens = Long.parseLong(m.group(1));
        Duration per = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        boolean ok = true;
        if (tokens * 1_000_000_000L / per.toNanos() > MAX_PER_SECOND) {
            findings.error(f.get("rate"), f.child("rate"), "rate '" + rateText + "' is faster than the limit of "
                    + MAX_PER_SECOND + "/s");
            ok = false;
        }
        long burst = tokens;
        if (f.get("burst") != null) {
            Integer b = reader.integer(f.get("burst"), f.child("burst"), 1, (int) MAX_BURST);
            ok &= b != null;
            burst = b == null ? 0 : b;
        } else if (burst > MAX_BURST) {
            findings.error(f.get("rate"), f.child("rate"), "the default burst (the rate's count, " + tokens
                    + ") is over " + MAX_BURST + ": set burst");
            ok = false;
        }
        RateLimitPolicyConfig.Key key = RateLimitPolicyConfig.Key.IP;
        Optional<String> header = Optional.empty();
        if (f.get("key") != null) {
            String text = reader.string(f.get("key"), f.child("key"));
            if (text == null) return null;
            if (text.equals("ip")) {
                key = RateLimitPolicyConfig.Key.IP;
            } else if (text.equals("user")) {
                key = RateLimitPolicyConfig.Key.USER;
            } else if (text.startsWith("header:") && RouteBinder.TOKEN.matcher(text.substring(7).strip()).matches()) {
                key = RateLimitPolicyConfig.Key.HEADER;
                header = Optional.of(text.substring(7).strip().toLowerCase(Locale.ROOT));
            } else {
                findings.error(f.get("key"), f.child("key"), "unknown key '" + text + "' (expected ip, user or"
                        + " header:NAME such as header:X-Api-Key)" + Suggestions.didYouMean(text, List.of("ip", "user")));
                ok = false;
            }
        }
        boolean global = false;
        if (f.get("scope") != null) {
            String scope = reader.string(f.get("scope"), f.child("scope"));
            if (scope != null && !SCOPES.contains(scope)) {
                findings.error(f.get("scope"), f.child("scope"), "unknown scope '" + scope + "' (route: one bucket"
                        + " per route; global: one shared by every route using the policy)" + Suggestions.didYouMean(scope, SCOPES));
                scope = null;
            }
            ok &= scope != null;
            global = "global".equals(scope);
        }
        return ok ? new RateLimitPolicyConfig(name, tokens, per, burst, key, header, global) : null;
    }

    private String store(Node node, String path) {
        String text = reader.nonBlank(node, path);
        if (text == null) return null;
        if (text.equals(RateLimitsConfig.MEMORY)) return text;
        // a store URI may carry a password: it is never shown
        String problem = storeProblem(text);
        if (problem != null) {
            findings.error(node, path, problem + " (expected memory, redis://host:6379[/db], rediss://host:6380 or"
                    + " redis-cluster://host1:7000,host2:7001)");
            return null;
        }
        return text;
    }

    private static String storeProblem(String text) {
        int sep = text.indexOf("://");
        if (sep < 0) return "unknown store";
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = text.substring(sep + 3);
        int at = rest.lastIndexOf('@');
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        switch (scheme) {
            case "redis", "rediss" -> {
                try {
                    URI uri = new URI(text);
                    if (uri.getHost() == null) return "the store URI has no valid host";
                    String db = uri.getPath() == null ? "" : uri.getPath();
                    if (!db.isEmpty() && !db.matches("/[0-9]{1,2}")) return "the database must be a number (/0 to /15)";
                    return null;
                } catch (URISyntaxException e) {
                    return "invalid store URI";
                }
            }
            case "redis-cluster" -> {
                for (String node : hosts.split(",", -1)) {
                    if (!HOST_PORT.matcher(node.strip()).matches()) return "invalid cluster node list";
                }
                return null;
            }
            default -> {
                return "unknown store scheme '" + scheme + "'";
            }
        }
    }
}
