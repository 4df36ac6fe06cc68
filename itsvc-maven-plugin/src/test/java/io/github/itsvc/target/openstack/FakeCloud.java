package io.github.itsvc.target.openstack;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A cloud of recorded answers on loopback (okhttp's MockWebServer): Keystone's token with a catalog pointing back
 * here, then whatever a test routes by method and path. Every request is kept, for the test to check what was sent.
 */
final class FakeCloud implements AutoCloseable {

    static final String TOKEN = """
            {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
              "issued_at": "2026-11-26T06:00:00.000000Z",
              "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
              "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
              "roles": [{"id": "r1", "name": "member"}],
              "catalog": [
                {"type": "compute", "name": "nova", "id": "s1", "endpoints": [
                  {"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                   "url": "@BASE@/compute/v2.1"}]},
                {"type": "network", "name": "neutron", "id": "s2", "endpoints": [
                  {"id": "e2", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                   "url": "@BASE@/network"}]},
                {"type": "image", "name": "glance", "id": "s3", "endpoints": [
                  {"id": "e3", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                   "url": "@BASE@/image"}]},
                {"type": "identity", "name": "keystone", "id": "s4", "endpoints": [
                  {"id": "e4", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                   "url": "@BASE@/identity/v3"}]}]}}
            """;

    final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Function<RecordedRequest, MockResponse>> routes =
            Collections.synchronizedMap(new LinkedHashMap<>());

    FakeCloud() throws IOException {
        route("POST /identity/v3/auth/tokens", r -> json(201, TOKEN.replace("@BASE@", base()))
                .addHeader("X-Subject-Token", "tok-1"));
        // The site's lock on the cloud (CloudLock): free, unless a test routes it otherwise.
        route("POST /compute/v2.1/os-keypairs", r -> r.getBody().clone().readUtf8().contains("-lock\"")
                ? json(200, "{\"keypair\": {\"name\": \"lock\"}}") : json(404, "{}"));
        route("DELETE /compute/v2.1/os-keypairs/[^/]*-lock", r -> new MockResponse().setResponseCode(202));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                String path = request.getPath().replaceAll("\\?.*", "");
                String key = request.getMethod() + " " + path;
                synchronized (routes) {
                    List<String> keys = new ArrayList<>(routes.keySet());
                    Collections.reverse(keys); // later routes override earlier ones
                    for (String pattern : keys) {
                        if (key.matches(pattern)) {
                            return routes.get(pattern).apply(request);
                        }
                    }
                }
                return json(404, "{\"itemNotFound\": {\"message\": \"no route for " + key + "\", \"code\": 404}}");
            }
        });
        server.start();
    }

    String base() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    /** Answers requests whose "METHOD /path" (no query) matches the regex. */
    FakeCloud route(String methodAndPathRegex, Function<RecordedRequest, MockResponse> answer) {
        routes.put(methodAndPathRegex, answer);
        return this;
    }

    FakeCloud route(String methodAndPathRegex, int status, String body) {
        return route(methodAndPathRegex, r -> json(status, body));
    }

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    CloudConfig config(String password) {
        return new CloudConfig("fake", "a test", base() + "/identity/v3", "demo", null, password,
                CloudConfig.Ref.DEFAULT_DOMAIN, new CloudConfig.Ref(null, "demo"), CloudConfig.Ref.DEFAULT_DOMAIN,
                null, null, null, "RegionOne", null, null, true);
    }

    Cloud connect() throws io.github.itsvc.target.TargetException {
        return Cloud.connect(config("pw"), Duration.ofMinutes(1)).backoff(Duration.ofMillis(5));
    }

    List<String> calls() {
        synchronized (requests) {
            return requests.stream().map(r -> r.getMethod() + " " + r.getPath()).toList();
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
