package io.github.itsvc.model;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?" for misspelt keys and names. */
final class Suggestions {

    private Suggestions() {}

    /** The candidate closest to {@code typo} if it is close enough to be a likely typo, else {@code null}. */
    static String closest(String typo, Collection<String> candidates) {
        String t = typo.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(t, c);
            // Allow about one edit per three characters: 'cont' -> 'count', 'dependson' -> 'dependsOn'.
            if (d <= Math.max(1, c.length() / 3) && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** "did you mean 'count'? " or "" (for fixes that go on with the allowed values). */
    static String didYouMean(String typo, Collection<String> candidates) {
        String best = closest(typo, candidates);
        return best == null ? "" : "did you mean '" + best + "'? ";
    }

    /** Candidates as a message lists them: 'a', 'b', 'c'. */
    static String list(Collection<String> candidates) {
        return candidates.isEmpty() ? "(none)" : "'" + String.join("', '", candidates) + "'";
    }

    /** Optimal string alignment distance: Levenshtein plus swaps of neighbours, the commonest typo. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
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
