package dev.gateway.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints: the closest candidate by edit distance, ignoring case, '-' and '_'. */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidate closest to {@code word}, when it is close enough to be a likely typo. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String w = normalize(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = normalize(candidate);
            int d = distance(w, c);
            // Short words are all within 2 edits of each other, so the budget grows with the length.
            int budget = Math.min(3, Math.max(1, c.length() / 3));
            if (d <= budget && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null && w.length() >= 3) {
            // A truncated key ("max-body" for "max-body-size") is a typo too, when only one key starts so.
            List<String> starts = candidates.stream().filter(c -> normalize(c).startsWith(w)).toList();
            if (starts.size() == 1) best = starts.getFirst();
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean 'x'?)"} or {@code " (expected one of: a, b)"}. */
    static String hint(String word, Collection<String> candidates) {
        String close = didYouMean(word, candidates);
        return close.isEmpty() ? " (expected one of: " + String.join(", ", candidates) + ")" : close;
    }

    /** {@code " (did you mean 'x'?)"}, or nothing when no candidate is close. */
    static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
