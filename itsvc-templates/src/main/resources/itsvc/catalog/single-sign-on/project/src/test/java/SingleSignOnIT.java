package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Uses Keycloak as an administrator and then as a user would: logs in as the bootstrap admin, creates a realm and a
 * user in it through the admin REST API, then gets tokens for that user from the realm's token endpoint (the password
 * grant of the realm's admin-cli client) and finds the user's name in the ID token. `mvn verify` runs it against the
 * server it provisioned; the endpoint is the system property itsvc.endpoint.sso.http. The admin password is
 * KC_BOOTSTRAP_ADMIN_PASSWORD from the environment, else the one the server made on the dev site
 * (.itsvc/dev/sso-1/root/var/admin-password); it is never printed.
 */
class SingleSignOnIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNewRealmsUserGetsAToken() throws Exception {
        String server = System.getProperty("itsvc.endpoint.sso.http");
        assertNotNull(server, "no endpoint: run the tests with mvn verify, which provisions the service first");
        String base = "http://" + server;
        String realm = "itsvc-check-" + UUID.randomUUID();
        String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();

        String admin = token(base, "master", "admin", adminPassword());
        assertEquals(201, post(base + "/admin/realms", admin, "{\"realm\":\"" + realm + "\",\"enabled\":true}"),
                "creating realm " + realm);
        // A complete profile and a permanent password: otherwise Keycloak asks the user for more before any token.
        assertEquals(201, post(base + "/admin/realms/" + realm + "/users", admin, "{\"username\":\"" + user
                + "\",\"enabled\":true,\"email\":\"" + user + "@example.org\",\"emailVerified\":true,"
                + "\"firstName\":\"Alice\",\"lastName\":\"Check\",\"credentials\":[{\"type\":\"password\",\"value\":\""
                + password + "\",\"temporary\":false}]}"), "creating user " + user + " in realm " + realm);

        // The user's own tokens. admin-cli's access tokens are lightweight (no profile claims): the ID token has them.
        String answer = tokens(base, realm, user, password);
        String claims = claims(field(answer, "id_token"));
        assertTrue(claims.contains("\"preferred_username\":\"" + user + "\""), "the ID token is not " + user + "'s");
        assertTrue(claims.contains("/realms/" + realm + "\""), "the ID token is not from realm " + realm);
        assertTrue(claims(field(answer, "access_token")).contains("/realms/" + realm + "\""),
                "the access token is not from realm " + realm);
    }

    private static String adminPassword() throws Exception {
        String fromEnvironment = System.getenv("KC_BOOTSTRAP_ADMIN_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        Path file = Path.of(".itsvc", System.getProperty("itsvc.site", "dev"), "sso-1", "root", "var",
                "admin-password");
        assertTrue(Files.isRegularFile(file), "no admin password: set KC_BOOTSTRAP_ADMIN_PASSWORD, or find " + file);
        return Files.readString(file).trim();
    }

    /** An access token from the realm's token endpoint: the password grant of its admin-cli client. */
    private String token(String base, String realm, String user, String password) throws Exception {
        return field(tokens(base, realm, user, password), "access_token");
    }

    /** The token endpoint's answer to the password grant of the realm's admin-cli client, an ID token included. */
    private String tokens(String base, String realm, String user, String password) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", "admin-cli", "scope", "openid", "username", user,
                        "password", password)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        // The body is an error's description or the token: neither holds the password.
        assertEquals(200, response.statusCode(),
                "no token for " + user + " in realm " + realm + ": " + response.body());
        return response.body();
    }

    /** A string field of a JSON answer. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), "no " + name + " in the token endpoint's answer");
        return m.group(1);
    }

    /** A JWT's claims, its JSON payload. */
    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private int post(String url, String token, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
