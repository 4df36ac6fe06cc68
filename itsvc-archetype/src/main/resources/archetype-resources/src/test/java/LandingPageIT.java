package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A deployment test: `mvn verify` provisions the service, then failsafe runs the *IT classes here against it.
 * Every endpoint is a system property itsvc.endpoint.<role>.<port> (and itsvc.endpoint.<instance>.<port>), valued
 * address:port. Write the checks that need more than service.yaml's http/tcp/command checks here.
 */
class LandingPageIT {

    @Test
    void theLandingPageNamesTheService() throws Exception {
        String web = System.getProperty("itsvc.endpoint.web.http");
        assertNotNull(web, "no endpoint: run the tests with mvn verify, which provisions the service first");

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + web + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("${serviceName}"), response.body());
    }
}
