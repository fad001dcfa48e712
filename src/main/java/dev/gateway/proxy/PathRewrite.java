package dev.gateway.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the matched (normalised) request path into the path sent upstream: unchanged, with a templated prefix
 * stripped, or replaced by a template over the path variables ({@code {**}} is what the trailing {@code **}
 * matched). Templates are compiled once; applying one allocates only the result. Immutable.
 */
public final class PathRewrite {
    private static final String REST = "**";

    private final Mode mode;
    private final List<String> parts;

    private enum Mode { KEEP, STRIP, REPLACE }

    private PathRewrite(Mode mode, String template) {
        this.mode = mode;
        this.parts = template == null ? List.of() : compile(template);
    }

    /** The rewrite a route asks for: {@code rewrite} wins over {@code stripPrefix}; config forbids both. */
    public static PathRewrite of(Optional<String> rewrite, Optional<String> stripPrefix) {
        if (rewrite.isPresent()) return new PathRewrite(Mode.REPLACE, rewrite.get());
        if (stripPrefix.isPresent() && !stripPrefix.get().equals("/")) {
            return new PathRewrite(Mode.STRIP, stripPrefix.get());
        }
        return new PathRewrite(Mode.KEEP, null);
    }

    public String apply(String path, Map<String, String> variables, String rest) {
        return switch (mode) {
            case KEEP -> path;
            case REPLACE -> expand(variables, rest);
            case STRIP -> {
                String prefix = expand(variables, rest);
                if (path.equals(prefix)) yield "/";
                if (path.startsWith(prefix) && path.charAt(prefix.length()) == '/') yield path.substring(prefix.length());
                yield path;
            }
        };
    }

    private String expand(Map<String, String> variables, String rest) {
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (i % 2 == 0) {
                out.append(part);
            } else {
                out.append(part.equals(REST) ? rest : variables.getOrDefault(part, ""));
            }
        }
        return out.toString();
    }

    /** Alternating literal text and variable names: literal, name, literal, name, ..., literal. */
    private static List<String> compile(String template) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = template.indexOf('{', from);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (close < 0) {
                parts.add(template.substring(from));
                return List.copyOf(parts);
            }
            parts.add(template.substring(from, open));
            parts.add(template.substring(open + 1, close));
            from = close + 1;
        }
    }
}
