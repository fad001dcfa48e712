package dev.gateway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Splits and checks a path template; every failure is an IllegalArgumentException with a user-facing message. */
final class TemplateParser {
    private TemplateParser() {
    }

    static List<PathSegment> segments(String template) {
        if (template == null || template.isEmpty() || template.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/'");
        }
        List<PathSegment> out = new ArrayList<>();
        if (template.length() == 1) {
            return out;
        }
        if (template.contains("//")) {
            throw new IllegalArgumentException("empty segment ('//') not allowed");
        }
        if (template.endsWith("/")) {
            String base = template.substring(0, template.length() - 1);
            throw new IllegalArgumentException("trailing slash not allowed; use " + base + " or " + base + "/**");
        }
        String[] parts = template.substring(1).split("/", -1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            PathSegment s = segment(parts[i], i == parts.length - 1);
            if (s.kind() == PathSegment.Kind.VARIABLE && !seen.add(s.text())) {
                throw new IllegalArgumentException("variable {" + s.text() + "} appears twice");
            }
            out.add(s);
        }
        return out;
    }

    private static PathSegment segment(String part, boolean last) {
        if (part.equals("**")) {
            if (!last) {
                throw new IllegalArgumentException("'**' is only allowed as the last segment");
            }
            return new PathSegment(PathSegment.Kind.REST, "**");
        }
        boolean open = part.indexOf('{') >= 0;
        boolean close = part.indexOf('}') >= 0;
        if (part.indexOf('*') >= 0) {
            throw new IllegalArgumentException("segment '" + part + "' contains '*'; only a whole last segment "
                    + "'**' is a wildcard");
        }
        if (open || close) {
            return variable(part, open, close);
        }
        return new PathSegment(PathSegment.Kind.LITERAL, literal(part));
    }

    private static PathSegment variable(String part, boolean open, boolean close) {
        boolean whole = part.startsWith("{") && part.endsWith("}") && part.length() >= 2
                && part.indexOf('{', 1) < 0 && part.indexOf('}') == part.length() - 1;
        if (!whole) {
            throw new IllegalArgumentException(open && close
                    ? "segment '" + part + "' mixes text and a variable"
                    : "segment '" + part + "' has an unmatched brace");
        }
        String name = part.substring(1, part.length() - 1);
        if (!isName(name)) {
            throw new IllegalArgumentException("variable name '" + name + "' must be letters, digits or '_' "
                    + "and not start with a digit");
        }
        return new PathSegment(PathSegment.Kind.VARIABLE, name);
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Brings a literal into the form of a normalized request segment, so that it can ever match one. */
    private static String literal(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '?' || c == '#' || c == '\\' || c <= ' ' || c == 0x7f) {
                String shown = c == ' ' ? "space" : c < ' ' || c == 0x7f ? "control character" : "'" + c + "'";
                throw new IllegalArgumentException(shown + " not allowed in segment '" + part + "'");
            }
        }
        StringBuilder out = new StringBuilder(part.length());
        try {
            PathNormalizer.decodeUnreserved(part, 0, part.length(), out);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("segment '" + part + "' has a malformed percent-escape", e);
        }
        String text = out.toString();
        if (text.equals(".") || text.equals("..")) {
            throw new IllegalArgumentException("dot segment '" + part + "' not allowed");
        }
        return text;
    }
}
