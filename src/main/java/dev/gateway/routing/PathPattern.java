package dev.gateway.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed path template: literal segments, {@code {var}} (exactly one non-empty segment) and an optional
 * trailing {@code **} (zero or more segments). Literals match the path from {@link PathNormalizer}
 * case-sensitively. Two patterns are equal when their templates are. Immutable and thread-safe.
 */
public final class PathPattern {
    /** The key {@link #match} stores what {@code **} matched under; it cannot clash with a variable name. */
    public static final String REST_KEY = "**";

    private final String template;
    private final List<PathSegment> segments;
    private final List<String> variables;
    private final String shape;

    private PathPattern(String template, List<PathSegment> segments) {
        this.template = template;
        this.segments = List.copyOf(segments);
        List<String> names = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (PathSegment s : this.segments) {
            if (s.kind() == PathSegment.Kind.VARIABLE) {
                names.add(s.text());
            }
            key.append('/').append(s.shape());
        }
        this.variables = List.copyOf(names);
        this.shape = key.isEmpty() ? "/" : key.toString();
    }

    /** Parses a template; throws IllegalArgumentException with a message fit for a config error. */
    public static PathPattern parse(String template) {
        return new PathPattern(template, TemplateParser.segments(template));
    }

    /** The template as written. */
    public String template() {
        return template;
    }

    /** Variable names in order of appearance. */
    public List<String> variables() {
        return variables;
    }

    /** True when the template ends in {@code **}. */
    public boolean hasRest() {
        return !segments.isEmpty() && segments.getLast().kind() == PathSegment.Kind.REST;
    }

    /**
     * Matches a normalized path against this pattern alone (no precedence; {@link Router} decides that).
     * The map holds each variable's raw segment and, when {@link #hasRest()}, what {@code **} matched under
     * {@link #REST_KEY} (without a leading slash).
     */
    public Optional<Map<String, String>> match(String normalizedPath) {
        String path = normalizedPath;
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return Optional.empty();
        }
        int n = path.length();
        int pos = n == 1 ? 1 : 0;
        Map<String, String> found = new LinkedHashMap<>();
        for (PathSegment s : segments) {
            if (s.kind() == PathSegment.Kind.REST) {
                found.put(REST_KEY, pos < n ? path.substring(pos + 1) : "");
                return Optional.of(Collections.unmodifiableMap(found));
            }
            if (pos == n) {
                return Optional.empty();
            }
            int start = pos + 1;
            int end = path.indexOf('/', start);
            end = end < 0 ? n : end;
            String text = s.text();
            if (s.isLiteral()) {
                if (end - start != text.length() || !path.startsWith(text, start)) {
                    return Optional.empty();
                }
            } else if (end == start) {
                return Optional.empty();
            } else {
                found.put(text, path.substring(start, end));
            }
            pos = end;
        }
        return pos == n ? Optional.of(Collections.unmodifiableMap(found)) : Optional.empty();
    }

    /**
     * True when {@code prefix} has no {@code **} and its segments equal the first segments of {@code of}
     * (literals equal, variables equal by name); {@code /} is a prefix of every pattern.
     */
    public static boolean isPrefix(PathPattern prefix, PathPattern of) {
        if (prefix.hasRest() || prefix.segments.size() > of.segments.size()) {
            return false;
        }
        for (int i = 0; i < prefix.segments.size(); i++) {
            if (!prefix.segments.get(i).equals(of.segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    List<PathSegment> segments() {
        return segments;
    }

    /** Segments with variables anonymous: two patterns with equal shapes match exactly the same paths. */
    String shape() {
        return shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern p && p.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
