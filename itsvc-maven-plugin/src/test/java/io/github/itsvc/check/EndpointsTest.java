package io.github.itsvc.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {

    private static Map<String, Integer> ports(Object... nameNumber) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < nameNumber.length; i += 2) {
            ports.put((String) nameNumber[i], (Integer) nameNumber[i + 1]);
        }
        return ports;
    }

    private static final List<Endpoint> DEPLOYMENT = List.of(
            new Endpoint("web", "web-1", "127.0.0.1", ports("http", 8081, "admin-port", 9091)),
            new Endpoint("web", "web-2", "127.0.0.1", ports("http", 8082, "admin-port", 9092)),
            new Endpoint("db", "db-1", "10.0.0.5", ports("pg", 5432)));

    @Test
    void systemPropertiesNameTheRoleAfterItsFirstInstanceAndEachInstance() {
        assertThat(Endpoints.systemProperties(DEPLOYMENT)).containsExactly(
                entry("itsvc.endpoint.db-1.pg", "10.0.0.5:5432"),
                entry("itsvc.endpoint.db.pg", "10.0.0.5:5432"),
                entry("itsvc.endpoint.web-1.admin-port", "127.0.0.1:9091"),
                entry("itsvc.endpoint.web-1.http", "127.0.0.1:8081"),
                entry("itsvc.endpoint.web-2.admin-port", "127.0.0.1:9092"),
                entry("itsvc.endpoint.web-2.http", "127.0.0.1:8082"),
                entry("itsvc.endpoint.web.admin-port", "127.0.0.1:9091"),
                entry("itsvc.endpoint.web.http", "127.0.0.1:8081"));
    }

    @Test
    void environmentIsUpperCaseWithUnderscores() {
        assertThat(Endpoints.environment(DEPLOYMENT)).containsExactly(
                entry("ITSVC_ENDPOINT_DB_1_PG", "10.0.0.5:5432"),
                entry("ITSVC_ENDPOINT_DB_PG", "10.0.0.5:5432"),
                entry("ITSVC_ENDPOINT_WEB_1_ADMIN_PORT", "127.0.0.1:9091"),
                entry("ITSVC_ENDPOINT_WEB_1_HTTP", "127.0.0.1:8081"),
                entry("ITSVC_ENDPOINT_WEB_2_ADMIN_PORT", "127.0.0.1:9092"),
                entry("ITSVC_ENDPOINT_WEB_2_HTTP", "127.0.0.1:8082"),
                entry("ITSVC_ENDPOINT_WEB_ADMIN_PORT", "127.0.0.1:9091"),
                entry("ITSVC_ENDPOINT_WEB_HTTP", "127.0.0.1:8081"));
        assertThat(Endpoints.environmentName("web-1", "admin-port")).isEqualTo("ITSVC_ENDPOINT_WEB_1_ADMIN_PORT");
        assertThat(Endpoints.propertyName("web-1", "admin-port")).isEqualTo("itsvc.endpoint.web-1.admin-port");
    }

    @Test
    void theFirstInstanceGivenIsTheRoles() {
        List<Endpoint> reversed = List.of(DEPLOYMENT.get(1), DEPLOYMENT.get(0));
        assertThat(Endpoints.systemProperties(reversed)).containsEntry("itsvc.endpoint.web.http", "127.0.0.1:8082");
    }

    @Test
    void anIpv6AddressIsBracketed() {
        Endpoint e = new Endpoint("web", "web-1", "::1", Map.of("http", 8080));
        assertThat(e.hostPort("http")).isEqualTo("[::1]:8080");
        assertThat(Endpoints.systemProperties(List.of(e))).containsEntry("itsvc.endpoint.web.http", "[::1]:8080");
    }

    @Test
    void aRoleNamedLikeAnotherRolesInstanceIsAmbiguous() {
        List<Endpoint> clash = List.of(
                new Endpoint("web", "web-1", "127.0.0.1", Map.of("http", 8081)),
                new Endpoint("web-1", "web-1-1", "127.0.0.1", Map.of("http", 8082)));
        assertThatThrownBy(() -> Endpoints.systemProperties(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("itsvc.endpoint.web-1.http would name both instance web-1's port http (127.0.0.1:8081)"
                        + " and role web-1's port http (127.0.0.1:8082); rename one of them");
    }

    @Test
    void namesThatCollideOnlyInTheEnvironmentAreAmbiguousThere() {
        List<Endpoint> clash = List.of(
                new Endpoint("a", "a-1", "127.0.0.1", Map.of("b-c", 1)),
                new Endpoint("a-b", "a-b-1", "127.0.0.1", Map.of("c", 2)));
        assertThat(Endpoints.systemProperties(clash)).hasSize(4);
        assertThatThrownBy(() -> Endpoints.environment(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ITSVC_ENDPOINT_A_B_C would name both role a's port b-c");
    }

    @Test
    void anUnknownPortIsAProgrammingError() {
        assertThatThrownBy(() -> DEPLOYMENT.get(2).port("http"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance db-1 has no port 'http', only [pg]");
    }
}
