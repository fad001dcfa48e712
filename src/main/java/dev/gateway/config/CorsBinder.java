package dev.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Binds a {@code cors} mapping, top-level or on a route; absent keys take the defaults documented on
 * {@link CorsConfig}. Origins are stored lower-cased without a default port, as browsers send them.
 */
final class CorsBinder {
    static final List<String> KEYS = List.of("origins", "methods", "headers", "expose-headers", "credentials", "max-age");
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?";
    private static final Pattern ORIGIN = Pattern.compile(
            "(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<host>" + LABEL + "(\\." + LABEL + ")*|\\[[0-9A-Fa-f:.]+])"
                    + "(:(?<port>[0-9]{1,5}))?");
    private static final Map<String, String> DEFAULT_PORTS = Map.of("http", "80", "https", "443");

    private final NodeReader reader;
    private final Findings findings;

    CorsBinder(NodeReader reader) {
        this.reader = reader;
        this.findings = reader.findings();
    }

    /** Empty when {@code node} is null (not written); null after recording errors. */
    Optional<CorsConfig> bind(Node node, String path) {
        if (node == null) return Optional.empty();
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        List<String> origins = null;
        if (f.get("origins") == null) {
            findings.error(f.node(), path, "missing required key 'origins'");
        } else {
            origins = origins(f.get("origins"), f.child("origins"));
        }
        boolean ok = origins != null;
        List<String> methods = CorsConfig.DEFAULT_METHODS;
        if (f.get("methods") != null) {
            methods = tokens(f.get("methods"), f.child("methods"), "method", true);
            ok &= methods != null;
        }
        List<String> headers = List.of();
        if (f.get("headers") != null) {
            headers = tokens(f.get("headers"), f.child("headers"), "header name", false);
            ok &= headers != null;
        }
        List<String> expose = List.of();
        if (f.get("expose-headers") != null) {
            expose = tokens(f.get("expose-headers"), f.child("expose-headers"), "header name", false);
            ok &= expose != null;
        }
        Boolean credentials = false;
        if (f.get("credentials") != null) {
            credentials = reader.bool(f.get("credentials"), f.child("credentials"));
            ok &= credentials != null;
            if (Boolean.TRUE.equals(credentials) && origins != null && origins.contains("*")) {
                findings.error(f.get("credentials"), f.child("credentials"), "credentials: true cannot be used with"
                        + " origin '*' (browsers refuse it; list the allowed origins instead)");
                ok = false;
            }
        }
        Duration maxAge = CorsConfig.DEFAULT_MAX_AGE;
        if (f.get("max-age") != null) {
            maxAge = reader.duration(f.get("max-age"), f.child("max-age"), true);
            ok &= maxAge != null;
        }
        return ok ? Optional.of(new CorsConfig(origins, methods, headers, expose, credentials, maxAge)) : null;
    }

    private List<String> origins(Node node, String path) {
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        if (items.isEmpty()) {
            findings.error(node, path, "must list at least one origin (or '*' for any)");
            return null;
        }
        List<String> out = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String text = reader.string(items.get(i), itemPath);
            String origin = text == null ? null : origin(text);
            if (text != null && origin == null) {
                findings.error(items.get(i), itemPath, "invalid origin '" + text
                        + "' (expected * or scheme://host[:port] with no path, such as https://app.example.com)");
            } else if (origin != null && seen.putIfAbsent(origin, items.get(i)) != null) {
                findings.error(items.get(i), itemPath, "duplicate origin " + origin + " (first at line "
                        + findings.at(seen.get(origin)).line() + ")");
            } else if (origin != null) {
                out.add(origin);
            }
        }
        if (out.size() == items.size() && out.size() > 1 && out.contains("*")) {
            findings.error(items.get(out.indexOf("*")), path + "[" + out.indexOf("*") + "]",
                    "'*' already allows every origin; list it alone");
            return null;
        }
        return out.size() == items.size() ? out : null;
    }

    /** The origin as a browser serializes it, or null when {@code text} is not one. */
    private static String origin(String text) {
        if (text.equals("*")) return text;
        Matcher m = ORIGIN.matcher(text);
        if (!m.matches()) return null;
        String scheme = m.group("scheme").toLowerCase(Locale.ROOT);
        String origin = scheme + "://" + m.group("host").toLowerCase(Locale.ROOT);
        if (m.group("port") == null) return origin;
        int number = Integer.parseInt(m.group("port"));
        if (number < 1 || number > 65535) return null;
        return String.valueOf(number).equals(DEFAULT_PORTS.get(scheme)) ? origin : origin + ":" + number;
    }

    /** Method names (upper-cased) or header names (as written); no duplicates, ignoring case. */
    private List<String> tokens(Node node, String path, String what, boolean upperCase) {
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        List<String> out = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String text = reader.string(items.get(i), itemPath);
            if (text == null) continue;
            String key = text.toLowerCase(Locale.ROOT);
            String shown = upperCase ? text.toUpperCase(Locale.ROOT) : text;
            if (!RouteBinder.TOKEN.matcher(text).matches()) {
                findings.error(items.get(i), itemPath, "invalid " + what + " '" + text + "'");
            } else if (seen.putIfAbsent(key, items.get(i)) != null) {
                findings.error(items.get(i), itemPath, "duplicate " + what + " " + shown + " (first at line "
                        + findings.at(seen.get(key)).line() + (upperCase ? ")" : "; header names ignore case)"));
            } else {
                out.add(shown);
            }
        }
        return out.size() == items.size() ? out : null;
    }
}
