package dev.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in one scalar value; {@code $$} is a literal {@code $} and a
 * {@code $} before anything else stays as it is. As in the shell, {@code :-} also applies when VAR is set but
 * empty. Defaults are literal text up to the first {@code }}: they are not substituted again.
 */
final class EnvSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The substituted text, or the problems found (then {@code value} is null). */
    record Result(String value, List<String> errors) {
    }

    private final Map<String, String> environment;

    EnvSubstitution(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Result apply(String text) {
        if (text.indexOf('$') < 0) return new Result(text, List.of());
        StringBuilder out = new StringBuilder(text.length());
        List<String> errors = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c != '$' || (next != '$' && next != '{')) {
                out.append(c);
                i++;
            } else if (next == '$') {
                out.append('$');
                i += 2;
            } else {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    errors.add("unclosed '${' in '" + text + "' (write ${NAME} or ${NAME:-default}; $$ is a literal $)");
                    break;
                }
                String inner = text.substring(i + 2, close);
                int sep = inner.indexOf(":-");
                String name = sep < 0 ? inner : inner.substring(0, sep);
                if (!NAME.matcher(name).matches()) {
                    errors.add("invalid variable reference '${" + inner + "}' (write ${NAME} or ${NAME:-default})");
                } else {
                    String value = environment.get(name);
                    if (sep >= 0 && (value == null || value.isEmpty())) {
                        value = inner.substring(sep + 2);
                    }
                    if (value == null) {
                        errors.add("environment variable " + name + " is not set (use ${" + name
                                + ":-default} for a default)");
                    } else {
                        out.append(value);
                    }
                }
                i = close + 1;
            }
        }
        return errors.isEmpty() ? new Result(out.toString(), List.of()) : new Result(null, List.copyOf(errors));
    }
}
