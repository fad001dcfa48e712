package dev.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks upstream URLs: absolute http or https, a host, an optional port, and nothing else (no user info,
 * query, fragment or path), because path changes belong on the route. Also checks inline URL templates
 * ({@code http://{app}.apps.internal:8080}) whose placeholders may only appear in the host.
 */
final class TargetUrls {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TargetUrls() {
    }

    /** {@code scheme://host:port} with the port made explicit; throws IllegalArgumentException fit for a config error. */
    static URI normalize(String url) {
        return normalize(url, url, "target URL");
    }

    /**
     * Checks an inline upstream template against the route's path variables (not checked when null); throws
     * IllegalArgumentException fit for a config error.
     */
    static void checkTemplate(String template, String path, List<String> pathVariables) {
        int[] host = hostRange(template);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder probe = new StringBuilder();
        int count = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!VARIABLE.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid placeholder {" + name + "} in upstream URL (expected {name})");
            }
            if (pathVariables != null && !pathVariables.contains(name)) {
                throw new IllegalArgumentException("{" + name + "} is not a variable of path " + path);
            }
            if (m.start() < host[0] || m.end() > host[1]) {
                throw new IllegalArgumentException("{" + name + "} may only appear in the host of an upstream URL");
            }
            // A valid host label stands in for the placeholder, so the rest is checked like any URL.
            m.appendReplacement(probe, "x" + count++ + "placeholder");
        }
        m.appendTail(probe);
        if (probe.indexOf("{") >= 0 || probe.indexOf("}") >= 0) {
            throw new IllegalArgumentException("unbalanced '{' or '}' in upstream URL '" + template + "'");
        }
        normalize(probe.toString(), template, "upstream URL");
    }

    /** Start and end of the host in {@code scheme://userinfo@host:port/...}, by text. */
    private static int[] hostRange(String url) {
        int start = url.indexOf("://");
        if (start < 0) return new int[] {0, 0};
        start += 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) start = at + 1;
        int colon = url.lastIndexOf(':', end - 1);
        if (colon >= start && url.lastIndexOf(']', end - 1) < colon) end = colon;
        return new int[] {start, end};
    }

    private static URI normalize(String url, String shown, String what) {
        if (!url.contains("://")) {
            throw new IllegalArgumentException(what + " must be absolute, like http://127.0.0.1:8080 (got '" + shown + "')");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + shown + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(what + " must use http or https (got '" + shown + "')");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must not contain user info (got '" + shown + "')");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(what + " has no valid host (got '" + shown + "')");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not have a query or fragment (got '" + shown + "')");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException(what
                    + " must not have a path (put path changes on the route: strip-prefix or rewrite)");
        }
        int port = uri.getPort();
        if (port == -1) port = scheme.equals("https") ? 443 : 80;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be between 1 and 65535 (got '" + shown + "')");
        }
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    }
}
