package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back the parts of {@code gateway token-test}'s stdout that tests assert on; fails when a part is missing. */
final class TokenTestOutput {
    private static final Pattern ROUTE_LINE = Pattern.compile("(\\S+) +(\\S.*)");
    private static final Pattern VERIFIED = Pattern.compile("(?m)^verified: by (.*)$");

    private TokenTestOutput() {
    }

    /** The verdict per route name, in printed order, from the trailing "routes:" (or "route:") block. */
    static Map<String, String> verdicts(String out) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String line : block(out, out.contains("\nroutes:\n") ? "routes:" : "route:")) {
            Matcher m = ROUTE_LINE.matcher(line);
            assertThat(m.matches()).as("route line '%s' in:\n%s", line, out).isTrue();
            verdicts.put(m.group(1), m.group(2));
        }
        return verdicts;
    }

    /** The configured keys listed under "keys:" (printed when no key verified the token). */
    static List<String> keys(String out) {
        return block(out, "keys:");
    }

    /** The key named on the "verified: by ..." line. */
    static String verifiedBy(String out) {
        Matcher m = VERIFIED.matcher(out);
        assertThat(m.find()).as("a 'verified: by' line in:\n%s", out).isTrue();
        return m.group(1);
    }

    /** The indented lines under {@code heading} (without the indent), up to the next unindented line. */
    private static List<String> block(String out, String heading) {
        List<String> lines = out.lines().toList();
        int start = lines.indexOf(heading);
        assertThat(start).as("'%s' in:\n%s", heading, out).isNotNegative();
        List<String> block = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.startsWith("  ")) break;
            block.add(line.substring(2));
        }
        return block;
    }
}
