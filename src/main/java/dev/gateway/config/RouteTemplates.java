package dev.gateway.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.routing.PathPattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Checks a route's templates against its path: {@code rewrite}, {@code strip-prefix} and an inline upstream URL
 * may only use variables the path defines. When the path itself is invalid (null pattern) the variable checks
 * are skipped, since the path's own error says what is wrong.
 */
final class RouteTemplates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final NodeReader reader;
    private final Findings findings;
    private final Fields route;
    private final PathPattern path;
    private final Optional<String> rewrite;
    private final Optional<String> stripPrefix;

    RouteTemplates(NodeReader reader, Fields route, PathPattern path) {
        this.reader = reader;
        this.findings = reader.findings();
        this.route = route;
        this.path = path;
        Optional<String> rewrite = route.get("rewrite") == null ? Optional.empty() : bindRewrite();
        Optional<String> strip = route.get("strip-prefix") == null ? Optional.empty() : bindStripPrefix();
        Node r = route.keyNode("rewrite");
        Node s = route.keyNode("strip-prefix");
        if (r != null && s != null) {
            // Reported at whichever of the two was written last.
            boolean stripLast = s.getStartMark().map(Mark::getIndex).orElse(0)
                    > r.getStartMark().map(Mark::getIndex).orElse(0);
            String key = stripLast ? "strip-prefix" : "rewrite";
            findings.error(route.get(key), route.child(key),
                    "rewrite and strip-prefix cannot be used together (rewrite already replaces the whole path)");
            rewrite = null;
            strip = null;
        }
        this.rewrite = rewrite;
        this.stripPrefix = strip;
    }

    /** The rewrite template; empty when absent, null when invalid. */
    Optional<String> rewrite() {
        return rewrite;
    }

    /** The strip-prefix template; empty when absent, null when invalid. */
    Optional<String> stripPrefix() {
        return stripPrefix;
    }

    /** Checks an inline upstream URL template, recording an error; true when it is fine. */
    boolean checkInlineUpstream(Node node, String at, String template) {
        try {
            TargetUrls.checkTemplate(template, path == null ? null : path.template(),
                    path == null ? null : path.variables());
            return true;
        } catch (IllegalArgumentException e) {
            findings.error(node, at, e.getMessage());
            return false;
        }
    }

    private Optional<String> bindRewrite() {
        Node node = route.get("rewrite");
        String at = route.child("rewrite");
        String rewrite = reader.string(node, at);
        if (rewrite == null) return null;
        String problem = null;
        if (!rewrite.startsWith("/")) {
            problem = "rewrite must start with '/' (got '" + rewrite + "')";
        } else if (rewrite.contains("?") || rewrite.contains("#")) {
            problem = "rewrite must be a path, without a query or fragment";
        } else {
            Matcher m = PLACEHOLDER.matcher(rewrite);
            while (problem == null && m.find()) {
                String name = m.group(1);
                if (name.equals("**")) {
                    if (path != null && !path.hasRest()) {
                        problem = "{**} needs a path that ends in /** (path is " + path.template() + ")";
                    }
                } else {
                    problem = variableProblem(name);
                }
            }
            if (problem == null && m.replaceAll("").matches(".*[{}].*")) {
                problem = "unbalanced '{' or '}' in rewrite '" + rewrite + "'";
            }
        }
        if (problem != null) {
            findings.error(node, at, problem);
            return null;
        }
        return Optional.of(rewrite);
    }

    private Optional<String> bindStripPrefix() {
        Node node = route.get("strip-prefix");
        String at = route.child("strip-prefix");
        String strip = reader.string(node, at);
        if (strip == null) return null;
        String problem = null;
        try {
            PathPattern prefix = PathPattern.parse(strip);
            if (prefix.hasRest()) {
                problem = "strip-prefix must not contain ** (it is a prefix of the path)";
            }
            for (String name : prefix.variables()) {
                if (problem == null) problem = variableProblem(name);
            }
            if (problem == null && path != null && !PathPattern.isPrefix(prefix, path)) {
                problem = "strip-prefix " + strip + " is not a prefix of path " + path.template();
            }
        } catch (IllegalArgumentException e) {
            problem = "invalid strip-prefix '" + strip + "': " + e.getMessage();
        }
        if (problem != null) {
            findings.error(node, at, problem);
            return null;
        }
        return Optional.of(strip);
    }

    private String variableProblem(String name) {
        if (!VARIABLE.matcher(name).matches()) return "invalid placeholder {" + name + "} (expected {name} or {**})";
        if (path != null && !path.variables().contains(name)) {
            return "{" + name + "} is not a variable of path " + path.template();
        }
        return null;
    }
}
