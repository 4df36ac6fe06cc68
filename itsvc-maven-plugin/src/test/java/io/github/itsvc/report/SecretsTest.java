package io.github.itsvc.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void keysThatNameASecretInAnyCase() {
        assertThat(List.of("password", "adminPassword", "DB_PASSWORD", "api-key", "apiKey", "APIKey", "tlsPrivateKey",
                "token", "githubToken", "client.secret", "credentials", "passphrase", "sessionCookie"))
                .allMatch(Secrets::isSecretKey);
        assertThat(List.of("title", "keyboard", "monkey", "hostname", "keystrokes", "tokenizer"))
                .as("whole words, not substrings").noneMatch(Secrets::isSecretKey);
    }

    @Test
    void wordsSplitAtCamelCaseAndSeparators() {
        assertThat(Secrets.words("tlsPrivateKey")).containsExactly("tls", "private", "key");
        assertThat(Secrets.words("HTTPServer_port")).containsExactly("http", "server", "port");
        assertThat(Secrets.words("api-key.v2")).containsExactly("api", "key", "v2");
    }

    @Test
    void flattensInFileOrderAndMasksWholeSecretSubtrees() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("title", "Wiki");
        values.put("adminPassword", "hunter2");
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("user", "wiki");
        credentials.put("pass", "s3cret");
        values.put("credentials", credentials);
        values.put("mirrors", List.of("a.example.org", "b.example.org"));
        values.put("db", Map.of("token", List.of("t1")));
        values.put("encrypted", "{COQLCE6DU6GtcS5P=}");
        values.put("empty", Map.of());

        assertThat(Secrets.flatten(values)).containsExactly(
                new Secrets.Value("title", "Wiki", false),
                new Secrets.Value("adminPassword", Secrets.MASK, true),
                new Secrets.Value("credentials.user", Secrets.MASK, true),
                new Secrets.Value("credentials.pass", Secrets.MASK, true),
                new Secrets.Value("mirrors[0]", "a.example.org", false),
                new Secrets.Value("mirrors[1]", "b.example.org", false),
                new Secrets.Value("db.token[0]", Secrets.MASK, true),
                new Secrets.Value("encrypted", Secrets.MASK, true),
                new Secrets.Value("empty", "(empty)", false));
    }

    @Test
    void theMaskDoesNotTellTheLength() {
        assertThat(Secrets.flatten(Map.of("token", "x")).get(0).text())
                .isEqualTo(Secrets.flatten(Map.of("token", "a much longer token value")).get(0).text());
    }
}
