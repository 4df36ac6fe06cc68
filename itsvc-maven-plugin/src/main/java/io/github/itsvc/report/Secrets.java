package io.github.itsvc.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which site values are secrets, so that pages show them masked. Site files should hold no secrets (they come from
 * settings.xml or the environment), but people put them there anyway, and a status page is published: masking is the
 * second line of defence.
 *
 * <p>A value is a secret when any key on its path, split into words at camel case, {@code -}, {@code _} and
 * {@code .}, has one of the words {@link #WORDS} ({@code adminPassword}, {@code api_key}, {@code db.credentials.user},
 * {@code tlsPrivateKey}): a key names what it holds, and a whole mapping under {@code credentials:} is masked. A
 * value in Maven's encrypted form ({@code {...}}) is masked whatever its key. The mask never tells the length.
 */
public final class Secrets {

    /** The words that mark a key as holding a secret. */
    public static final Set<String> WORDS = Set.of("password", "passwd", "pwd", "passphrase", "secret", "secrets",
            "token", "key", "apikey", "credential", "credentials", "private", "cookie", "salt");

    /** What a masked value shows. */
    public static final String MASK = "\u2022\u2022\u2022\u2022\u2022\u2022";

    private Secrets() {}

    /** A site value as a page shows it: its dotted path, its text, and whether it was masked. */
    public record Value(String key, String text, boolean masked) {}

    /** Whether a single key (no dots) names a secret. */
    public static boolean isSecretKey(String key) {
        for (String word : words(key)) {
            if (WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The site values flattened to one row per leaf ({@code db.host}, {@code mirrors[0]}), in file order, secrets
     * masked.
     */
    public static List<Value> flatten(Map<String, Object> values) {
        List<Value> rows = new ArrayList<>();
        values.forEach((key, value) -> flatten(key, value, isSecretKey(key), rows));
        return List.copyOf(rows);
    }

    private static void flatten(String path, Object value, boolean secret, List<Value> rows) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> flatten(path + "." + k, v, secret || isSecretKey(String.valueOf(k)), rows));
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), secret, rows);
            }
        } else {
            String text = value == null ? "" : value instanceof Map || value instanceof List ? "(empty)"
                    : String.valueOf(value);
            boolean masked = secret || looksEncrypted(text);
            rows.add(new Value(path, masked ? MASK : text, masked));
        }
    }

    /** Maven's encrypted passwords: {@code {base64}}, as settings-security makes them. */
    static boolean looksEncrypted(String text) {
        return text.length() > 8 && text.startsWith("{") && text.endsWith("}")
                && text.substring(1, text.length() - 1).matches("[A-Za-z0-9+/=]+");
    }

    /** {@code adminPassword} → admin, password; {@code API_KEY} → api, key; {@code tls-private-key} → tls, private, key. */
    static List<String> words(String key) {
        List<String> words = new ArrayList<>();
        // apiKey -> api Key; HTTPServer -> HTTP Server; then split at separators.
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
        for (String word : spaced.split("[\\s._\\-]+")) {
            if (!word.isEmpty()) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }
}
