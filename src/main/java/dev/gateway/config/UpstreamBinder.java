package dev.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Binds the {@code upstreams} section: name to targets, balance and timeouts. */
final class UpstreamBinder {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    static final List<String> KEYS = List.of("targets", "balance", "connect-timeout", "timeout", "health-check",
            "outlier", "retry", "circuit-breaker", "max-concurrent-requests");
    static final List<String> TARGET_KEYS = List.of("url", "weight");
    /** The balancer precomputes one cycle as long as the sum of the weights, so weights stay small. */
    static final int MAX_WEIGHT = 1000;
    private static final List<String> BALANCES =
            Arrays.stream(UpstreamConfig.Balance.values()).map(UpstreamConfig.Balance::configName).toList();

    private final NodeReader reader;
    private final Findings findings;
    /** Every name written (valid or not) to its path, in file order, so routes can refer to broken upstreams. */
    private final Map<String, String> declared = new LinkedHashMap<>();

    UpstreamBinder(NodeReader reader) {
        this.reader = reader;
        this.findings = reader.findings();
    }

    Map<String, String> declared() {
        return declared;
    }

    /** The upstreams that bound without errors. */
    Map<String, UpstreamConfig> bind(Node node) {
        Map<String, UpstreamConfig> out = new LinkedHashMap<>();
        if (node == null) return out;
        Fields f = reader.fields(node, "upstreams", null);
        if (f == null) return out;
        for (Fields.Entry e : f.entries()) {
            String path = f.child(e.key());
            declared.put(e.key(), path);
            if (!NAME.matcher(e.key()).matches()) {
                findings.error(e.keyNode(), path, "invalid upstream name '" + e.key()
                        + "' (use letters, digits, '_', '.' and '-', starting with a letter or digit)");
            }
            UpstreamConfig u = upstream(e.key(), e.value(), path);
            if (u != null && NAME.matcher(e.key()).matches()) out.put(e.key(), u);
        }
        return out;
    }

    private UpstreamConfig upstream(String name, Node node, String path) {
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        boolean ok = true;
        List<TargetConfig> targets = null;
        if (f.get("targets") == null) {
            findings.error(f.node(), path, "missing required key 'targets'");
        } else {
            targets = targets(f.get("targets"), f.child("targets"));
        }
        ok &= targets != null;
        UpstreamConfig.Balance balance = UpstreamConfig.Balance.ROUND_ROBIN;
        if (f.get("balance") != null) {
            balance = balance(f.get("balance"), f.child("balance"));
            ok &= balance != null;
        }
        Duration connect = UpstreamConfig.DEFAULT_CONNECT_TIMEOUT;
        if (f.get("connect-timeout") != null) {
            connect = reader.duration(f.get("connect-timeout"), f.child("connect-timeout"), false);
            ok &= connect != null;
        }
        Duration timeout = UpstreamConfig.DEFAULT_TIMEOUT;
        if (f.get("timeout") != null) {
            timeout = reader.duration(f.get("timeout"), f.child("timeout"), false);
            ok &= timeout != null;
        }
        ResilienceConfig resilience = new ResilienceBinder(reader).bind(f);
        ok &= resilience != null;
        return ok ? new UpstreamConfig(name, targets, balance, connect, timeout, resilience) : null;
    }

    private List<TargetConfig> targets(Node node, String path) {
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        if (items.isEmpty()) {
            findings.error(node, path, "must list at least one target URL");
            return null;
        }
        boolean ok = true;
        TargetConfig[] out = new TargetConfig[items.size()];
        Map<URI, String> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            out[i] = target(items.get(i), itemPath);
            if (out[i] == null) {
                ok = false;
                continue;
            }
            String first = seen.putIfAbsent(out[i].url(), itemPath);
            if (first != null) {
                findings.error(items.get(i), itemPath, "duplicate target " + out[i].url() + " (same as " + first + ")");
                ok = false;
            }
        }
        return ok ? List.of(out) : null;
    }

    private TargetConfig target(Node node, String path) {
        Node urlNode = node;
        String urlPath = path;
        Integer weight = 1;
        if (node instanceof MappingNode) {
            Fields f = reader.fields(node, path, TARGET_KEYS);
            if (f.get("weight") != null) weight = reader.integer(f.get("weight"), f.child("weight"), 1, MAX_WEIGHT);
            urlNode = f.get("url");
            urlPath = f.child("url");
            if (urlNode == null) {
                findings.error(node, path, "missing required key 'url'");
                return null;
            }
        }
        String url = reader.string(urlNode, urlPath);
        if (url == null) return null;
        try {
            URI normalized = TargetUrls.normalize(url);
            return weight == null ? null : new TargetConfig(normalized, weight);
        } catch (IllegalArgumentException e) {
            findings.error(urlNode, urlPath, e.getMessage());
            return null;
        }
    }

    private UpstreamConfig.Balance balance(Node node, String path) {
        String text = reader.string(node, path);
        if (text == null) return null;
        for (UpstreamConfig.Balance b : UpstreamConfig.Balance.values()) {
            if (b.configName().equals(text)) return b;
        }
        findings.error(node, path, "unknown balance '" + text + "'" + Suggestions.hint(text, BALANCES));
        return null;
    }
}
