package io.github.itsvc.target.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.DesiredInstance;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter against recorded OpenStack answers: what it sends, how it reads, retries and reports. */
class OpenStackTargetTest {

    static final String PREFIX = "itsvc-wiki-live";

    @TempDir
    Path dir;

    FakeCloud cloud;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        cloud = new FakeCloud();
    }

    @AfterEach
    void stop() throws Exception {
        cloud.close();
    }

    private static Role web(int count) {
        return new Role("web", count, new Role.Image("cirros", null), "m1.tiny", Map.of("http", 8080), List.of(),
                List.of(), List.of(), null, List.of(), Location.of("service.yaml"));
    }

    private static Service service(Role role) {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put(role.name(), role);
        return new Service("wiki", Map.of(), roles, Location.of("service.yaml"));
    }

    private static Site site() {
        return new Site("live", "openstack", "fake", false, Map.of(), Location.of("sites/live.yaml"));
    }

    private OpenStackTarget target(Role role) {
        return new OpenStackTarget(service(role), site(), dir.resolve(".itsvc/live"), cloud::connect,
                new OpenStackTarget.Options(false, OpenStackTarget.Strategy.ROLLING, Duration.ofMinutes(1),
                        Duration.ofMillis(10)), log::add);
    }

    private static String server(String id, String role, int index, String status, String digest) {
        return """
                {"id": "%s", "name": "%s-%s-%d", "status": "%s", "created": "2026-11-26T06:00:00Z",
                 "metadata": {"itsvc_service": "wiki", "itsvc_site": "live", "itsvc_role": "%s",
                              "itsvc_index": "%d", "itsvc_digest": "%s"},
                 "addresses": {"private": [{"addr": "10.0.0.%d", "version": 4, "OS-EXT-IPS:type": "fixed"}]}}
                """.formatted(id, PREFIX, role, index, status, role, index, digest, index + 10);
    }

    @Test
    void discoversOnlyServersWithItsMetadataAndKeepsTheBestOfDuplicates() throws Exception {
        String other = """
                {"id": "x", "name": "itsvc-wiki-live-web-9", "status": "ACTIVE", "metadata": {"itsvc_service": "wiki",
                 "itsvc_site": "beta", "itsvc_role": "web", "itsvc_index": "9"}, "addresses": {}}""";
        cloud.route("GET /compute/v2.1/servers/detail", 200, "{\"servers\": [" + server("a", "web", 1, "ACTIVE", "d1")
                + "," + server("b", "web", 1, "ERROR", "d1") + "," + server("c", "web", 2, "SHUTOFF", "d2") + ","
                + other + "]}");
        List<Instance> found = target(web(2)).discover();
        assertThat(found).extracting(Instance::name, Instance::id, Instance::state, Instance::address,
                Instance::configDigest).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("web-1", "a", Instance.State.RUNNING, "10.0.0.11", "d1"),
                        org.assertj.core.groups.Tuple.tuple("web-2", "c", Instance.State.STOPPED, "10.0.0.12", "d2"));
        assertThat(found.get(0).ports()).containsEntry("http", 8080);
        RecordedRequest list = cloud.requests.stream().filter(r -> r.getPath().contains("/servers")).findFirst()
                .orElseThrow();
        // Nova filters by name (a regex), and every compute call asks for the microversion itsvc needs.
        assertThat(list.getRequestUrl().queryParameter("name")).isEqualTo("^" + PREFIX + "-");
        assertThat(list.getHeader("X-OpenStack-Nova-API-Version")).isEqualTo(Cloud.COMPUTE_MICROVERSION);
        assertThat(list.getHeader("X-Auth-Token")).isEqualTo("tok-1");
    }

    @Test
    void retriesAServerErrorWithBackoffAndGivesUpAfterFiveAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        cloud.route("GET /compute/v2.1/servers/detail", r -> calls.incrementAndGet() < 3
                ? FakeCloud.json(503, "{\"message\": \"busy\"}") : FakeCloud.json(200, "{\"servers\": []}"));
        assertThat(target(web(1)).discover()).isEmpty();
        assertThat(calls).hasValue(3);

        cloud.route("GET /compute/v2.1/servers/detail", 500, "{\"computeFault\": {\"message\": \"boom\"}}");
        assertThatThrownBy(() -> target(web(1)).discover()).isInstanceOf(TargetException.class)
                .hasMessageContaining("list servers failed after " + Cloud.ATTEMPTS + " attempts");
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        cloud.route("GET /compute/v2.1/servers/detail", r -> {
            calls.incrementAndGet();
            return FakeCloud.json(400, "{\"badRequest\": {\"message\": \"Invalid filter\", \"code\": 400}}");
        });
        assertThatThrownBy(() -> target(web(1)).discover()).isInstanceOf(TargetException.class)
                .hasMessageContaining("list servers failed on cloud fake: 400");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() throws Exception {
        cloud.route("POST /identity/v3/auth/tokens", 401, "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\"}}");
        assertThatThrownBy(() -> Cloud.connect(cloud.config("hunter2"), Duration.ofMinutes(1)))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("the cloud refused the credentials of user 'demo'")
                .hasMessageContaining("401").hasMessageContaining("fix:").hasMessageNotContaining("hunter2");
        String body = cloud.requests.get(0).getBody().readUtf8().replaceAll("\\s+", "");
        assertThat(body).contains("\"password\":\"hunter2\"").contains("\"scope\"");
    }

    @Test
    void createsPortGroupsKeyAndServerThenReportsAndRemovesAServerEndingInError() throws Exception {
        routeNetworking();
        AtomicInteger lists = new AtomicInteger();
        List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        cloud.route("GET /compute/v2.1/servers/detail", r -> FakeCloud.json(200, "{\"servers\": ["
                + (lists.incrementAndGet() <= 1 || !deleted.isEmpty() ? "" : server("s1", "web", 1, "ERROR", "d"))
                + "]}"));
        cloud.route("GET /image/v2/images", 200, "{\"images\": [{\"id\": \"img-1\", \"name\": \"cirros\"}]}");
        cloud.route("GET /compute/v2.1/flavors(/detail)?", 200,
                "{\"flavors\": [{\"id\": \"1\", \"name\": \"m1.tiny\", \"ram\": 512, \"vcpus\": 1, \"disk\": 1}]}");
        cloud.route("GET /compute/v2.1/os-keypairs/" + PREFIX, 404, "{\"itemNotFound\": {\"code\": 404}}");
        cloud.route("POST /compute/v2.1/os-keypairs", 200, "{\"keypair\": {\"name\": \"" + PREFIX
                + "\", \"public_key\": \"ssh-rsa AAA\", \"private_key\": \"-----BEGIN PRIVATE-----\"}}");
        cloud.route("POST /compute/v2.1/servers", 202, "{\"server\": {\"id\": \"s1\"}}");
        cloud.route("GET /compute/v2.1/servers/s1", 200, "{\"server\": " + server("s1", "web", 1, "ERROR", "d")
                .replace("\"addresses\"", "\"fault\": {\"code\": 500, \"message\": \"No valid host was found.\"},"
                        + " \"addresses\"") + "}");
        cloud.route("DELETE /compute/v2.1/servers/s1", r -> {
            deleted.add("s1");
            return new okhttp3.mockwebserver.MockResponse().setResponseCode(204);
        });

        Role role = web(1);
        OpenStackTarget target = target(role);
        DataModel.Placement placement = target.placements().of(role, 1);
        assertThat(placement.address()).isEqualTo("10.0.0.5");
        assertThat(placement.planned()).isFalse();
        Path rendered = dir.resolve("target/itsvc/live/web/web-1");
        Files.createDirectories(rendered.resolve("cloud-init"));
        Files.writeString(rendered.resolve("cloud-init/user-data"), "#cloud-config\nruncmd: [echo hi]\n");
        DesiredInstance want = new DesiredInstance(role, 1, placement, rendered, "d");
        assertThat(target.discover()).isEmpty();

        assertThatThrownBy(() -> target.apply(role, List.of(new Change(Change.Action.CREATE, "web-1", "web", want,
                null, "new instance")), Map.of())).isInstanceOf(TargetException.class)
                .hasMessageContaining("web-1 (server s1) ended in ERROR: No valid host was found. (code 500)")
                .hasMessageContaining("removed again").hasMessageContaining("fix:");
        assertThat(deleted).containsExactly("s1");

        RecordedRequest port = find("POST", "/network/v2.0/ports");
        assertThat(port.getBody().readUtf8().replaceAll("\\s+", "")).startsWith("{\"ports\":[")
                .contains("\"name\":\"" + PREFIX + "-web-1\"")
                .contains("\"network_id\":\"net-1\"").contains("\"security_groups\":[\"sg-1\"]");
        assertThat(find("PUT", "/network/v2.0/security-groups/sg-1/tags").getBody().readUtf8().replaceAll("\\s+", ""))
                .isEqualTo("{\"tags\":[\"itsvc\",\"itsvc_service=wiki\",\"itsvc_site=live\",\"itsvc_role=web\"]}");
        RecordedRequest rule = find("POST", "/network/v2.0/security-group-rules");
        assertThat(rule.getBody().readUtf8().replaceAll("\\s+", "")).contains("\"port_range_min\":8080").contains("\"direction\":\"ingress\"");
        String boot = find("POST", "/compute/v2.1/servers").getBody().readUtf8().replaceAll("\\s+", "");
        assertThat(boot).contains("\"name\":\"" + PREFIX + "-web-1\"").contains("\"imageRef\":\"img-1\"")
                .contains("\"flavorRef\":\"1\"").contains("\"key_name\":\"" + PREFIX + "\"")
                .contains("\"port\":\"port-1\"").contains("\"itsvc_digest\":\"d\"").contains("\"itsvc_index\":\"1\"")
                .contains("\"user_data\":\"" + Base64.getEncoder().encodeToString(
                        "#cloud-config\nruncmd: [echo hi]\n".getBytes(StandardCharsets.UTF_8)) + "\"");
        // A single instance needs no server group; the key pair the cloud made is kept, for the operator only.
        assertThat(cloud.calls()).noneMatch(c -> c.contains("os-server-groups"));
        Path key = dir.resolve(".itsvc/live/" + PREFIX + ".pem");
        assertThat(key).hasContent("-----BEGIN PRIVATE-----");
        assertThat(Files.getPosixFilePermissions(key)).hasSize(2);
    }

    @Test
    void aMissingImageIsReportedWithTheImagesThereAreBeforeAnythingIsMade() throws Exception {
        routeNetworking();
        cloud.route("GET /compute/v2.1/servers/detail", 200, "{\"servers\": []}");
        cloud.route("GET /image/v2/images", r -> FakeCloud.json(200, "limit=100".equals(r.getRequestUrl().query())
                ? "{\"images\": [{\"id\": \"1\", \"name\": \"cirros\"}, {\"id\": \"2\", \"name\": \"debian-12\"}]}"
                : "{\"images\": []}"));
        Role role = new Role("web", 1, new Role.Image("debian-13", null), "m1.tiny", Map.of("http", 8080), List.of(),
                List.of(), List.of(), null, List.of(), Location.of("service.yaml"));
        assertThatThrownBy(() -> target(role).placements()).isInstanceOf(TargetException.class)
                .hasMessageContaining("image 'debian-13' of role web of service.yaml does not exist on cloud fake")
                .hasMessageContaining("the images there: cirros, debian-12").hasMessageContaining("fix:");
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("POST /compute") || c.startsWith("POST /network"));
    }

    @Test
    void aMissingFlavorIsReportedWithTheFlavorsThereAre() throws Exception {
        cloud.route("GET /image/v2/images", 200, "{\"images\": [{\"id\": \"img-1\", \"name\": \"cirros\"}]}");
        cloud.route("GET /compute/v2.1/flavors(/detail)?", 200, "{\"flavors\": [{\"id\": \"1\", \"name\":"
                + " \"m1.tiny\", \"ram\": 512, \"vcpus\": 1}, {\"id\": \"2\", \"name\": \"m1.small\", \"ram\": 2048,"
                + " \"vcpus\": 1}]}");
        Role role = new Role("web", 1, new Role.Image("cirros", null), "m1.huge", Map.of("http", 8080), List.of(),
                List.of(), List.of(), null, List.of(), Location.of("service.yaml"));
        assertThatThrownBy(() -> target(role).placements()).isInstanceOf(TargetException.class)
                .hasMessageContaining("flavor 'm1.huge' of role web of service.yaml does not exist on cloud fake")
                .hasMessageContaining("m1.small (1 vCPU, 2048 MB), m1.tiny (1 vCPU, 512 MB)")
                .hasMessageContaining("fix:");
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("POST /compute") || c.startsWith("POST /network"));
    }

    @Test
    void destroyRemovesEveryDuplicateGroupOfItsOwnRetryingInUseBeyondTheUsualAttempts() throws Exception {
        cloud.route("GET /compute/v2.1/servers/detail", 200, "{\"servers\": []}");
        cloud.route("GET /network/v2.0/ports", 200, "{\"ports\": []}");
        cloud.route("GET /compute/v2.1/os-server-groups", 200, "{\"server_groups\": []}");
        String ours = "\"name\": \"" + PREFIX + "-web\", \"description\": \"itsvc service=wiki site=live role=web\"";
        cloud.route("GET /network/v2.0/security-groups", 200, "{\"security_groups\": ["
                + "{\"id\": \"sg-1\", " + ours + "}, {\"id\": \"sg-2\", " + ours + "},"
                + "{\"id\": \"sg-3\", \"name\": \"" + PREFIX + "-web\", \"description\": \"not itsvc's\"},"
                + "{\"id\": \"sg-4\", \"name\": \"default\", \"description\": \"Default security group\"}]}");
        AtomicInteger attempts = new AtomicInteger();
        List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        cloud.route("DELETE /network/v2.0/security-groups/sg-\\d", r -> {
            String id = r.getPath().replaceAll(".*/", "");
            if (id.equals("sg-1") && attempts.incrementAndGet() <= Cloud.ATTEMPTS + 2) {
                return FakeCloud.json(409, "{\"NeutronError\": {\"type\": \"SecurityGroupInUse\", \"message\":"
                        + " \"Security Group sg-1 in use.\"}}");
            }
            deleted.add(id);
            return new okhttp3.mockwebserver.MockResponse().setResponseCode(204);
        });
        cloud.route("GET /compute/v2.1/os-keypairs/" + PREFIX, 404, "{\"itemNotFound\": {\"code\": 404}}");

        target(web(2)).destroy();

        assertThat(deleted).containsExactlyInAnyOrder("sg-1", "sg-2");
        assertThat(attempts).hasValue(Cloud.ATTEMPTS + 3);
    }

    @Test
    void anImageBinaryIsQcow2ByItsMagicBytesElseRaw() throws Exception {
        Path qcow2 = dir.resolve("disk.img");
        Files.write(qcow2, new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        Path raw = dir.resolve("disk.qcow2"); // the name does not decide
        Files.write(raw, new byte[512]);
        assertThat(OpenStackTarget.diskFormat(qcow2)).isEqualTo(org.openstack4j.model.image.v2.DiskFormat.QCOW2);
        assertThat(OpenStackTarget.diskFormat(raw)).isEqualTo(org.openstack4j.model.image.v2.DiskFormat.RAW);
    }

    // ------------------------------------------------------------------------------------------------------- surge

    /** A cloud with state: servers and ports come and go as they are created and deleted. */
    private final class Surge {
        final Map<String, String> servers = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, String> ports = Collections.synchronizedMap(new LinkedHashMap<>());

        Surge() {
            routeNetworking();
            cloud.route("GET /compute/v2.1/servers/detail", r -> FakeCloud.json(200, "{\"servers\": ["
                    + String.join(",", servers.values()) + "]}"));
            cloud.route("GET /network/v2.0/ports", r -> FakeCloud.json(200, "{\"ports\": ["
                    + String.join(",", ports.values()) + "]}"));
            cloud.route("POST /network/v2.0/ports", r -> {
                ports.put("port-new", port("port-new", "", "10.0.0.9", "2026-11-26T07:00:00Z"));
                return FakeCloud.json(201, "{\"ports\": [" + ports.get("port-new") + "]}");
            });
            cloud.route("DELETE /network/v2.0/ports/.*", r -> {
                ports.remove(r.getPath().replaceAll(".*/", ""));
                return new okhttp3.mockwebserver.MockResponse().setResponseCode(204);
            });
            cloud.route("GET /network/v2.0/floatingips", 200, "{\"floatingips\": []}");
            cloud.route("GET /image/v2/images", 200, "{\"images\": [{\"id\": \"img-1\", \"name\": \"cirros\"}]}");
            cloud.route("GET /compute/v2.1/flavors(/detail)?", 200,
                    "{\"flavors\": [{\"id\": \"1\", \"name\": \"m1.tiny\", \"ram\": 512, \"vcpus\": 1}]}");
            cloud.route("GET /compute/v2.1/os-keypairs/" + PREFIX, 200, "{\"keypair\": {\"name\": \"" + PREFIX
                    + "\", \"public_key\": \"ssh-rsa AAA\"}}");
            cloud.route("POST /compute/v2.1/servers", r -> {
                servers.put("new", server("new", "web", 1, "ACTIVE", "d2"));
                ports.put("port-new", port("port-new", "new", "10.0.0.9", "2026-11-26T07:00:00Z"));
                return FakeCloud.json(202, "{\"server\": {\"id\": \"new\"}}");
            });
            cloud.route("DELETE /compute/v2.1/servers/.*", r -> {
                servers.remove(r.getPath().replaceAll(".*/", ""));
                return new okhttp3.mockwebserver.MockResponse().setResponseCode(204);
            });
            servers.put("old", server("old", "web", 1, "ACTIVE", "d1"));
            ports.put("port-old", port("port-old", "old", "10.0.0.5", "2026-11-26T06:00:00Z"));
        }

        String port(String id, String device, String ip, String created) {
            return "{\"id\": \"" + id + "\", \"name\": \"" + PREFIX + "-web-1\", \"network_id\": \"net-1\","
                    + " \"device_id\": \"" + device + "\", \"created_at\": \"" + created + "\", \"fixed_ips\":"
                    + " [{\"subnet_id\": \"sub\", \"ip_address\": \"" + ip + "\"}]}";
        }

        /** Plans the replacement of web-1 (digest d1 -> d2) as the provisioner does, on a fresh port. */
        Change plan(OpenStackTarget target, Role role) throws Exception {
            assertThat(target.placements().of(role, 1).address()).isEqualTo("10.0.0.5");
            DataModel.Placement next = target.placements(java.util.Set.of("web-1")).of(role, 1);
            assertThat(next.address()).isEqualTo("10.0.0.9");
            Path rendered = dir.resolve("target/itsvc/live/web/web-1");
            Files.createDirectories(rendered.resolve("cloud-init"));
            Files.writeString(rendered.resolve("cloud-init/user-data"), "#cloud-config\n");
            Instance old = target.discover().get(0);
            return new Change(Change.Action.REPLACE, "web-1", "web", new DesiredInstance(role, 1, next, rendered,
                    "d2"), old, "config changed");
        }
    }

    private int indexOf(String call) {
        List<String> calls = cloud.calls().stream().map(c -> c.replaceAll("\\?.*", "")).toList();
        return calls.indexOf(call);
    }

    @Test
    void aRollingReplacementBootsTheSuccessorOnAFreshPortAndRetiresTheOldServerAndPortOnlyAfterwards()
            throws Exception {
        Surge surge = new Surge();
        Role role = web(1);
        OpenStackTarget target = target(role);
        assertThat(target.surge()).isTrue();
        Change change = surge.plan(target, role);

        List<Instance> now = target.apply(role, List.of(change), Map.of());

        // The successor is the instance now, on its new address; the old server is untouched so far.
        assertThat(now).extracting(Instance::id, Instance::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple("new", "10.0.0.11"));
        assertThat(find("POST", "/compute/v2.1/servers").getBody().readUtf8().replaceAll("\\s+", ""))
                .contains("\"port\":\"port-new\"");
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("DELETE"));
        assertThat(surge.servers).containsOnlyKeys("old", "new");

        target.retire(role, List.of(change));

        assertThat(indexOf("DELETE /compute/v2.1/servers/old")).isGreaterThan(indexOf("POST /compute/v2.1/servers"));
        assertThat(indexOf("DELETE /network/v2.0/ports/port-old")).isGreaterThan(
                indexOf("DELETE /compute/v2.1/servers/old"));
        assertThat(cloud.calls()).noneMatch(c -> c.contains("DELETE /compute/v2.1/servers/new")
                || c.contains("ports/port-new"));
        assertThat(surge.servers).containsOnlyKeys("new");
        assertThat(surge.ports).containsOnlyKeys("port-new");
        // One bulk request made the fresh port; nothing else was created but the server.
        assertThat(cloud.calls().stream().filter(c -> c.startsWith("POST /network/v2.0/ports"))).hasSize(1);
        assertThat(log).anyMatch(l -> l.startsWith("Retiring the old server of web-1 (server old"));
    }

    @Test
    void aWithdrawnSuccessorGoesWithItsFreshPortAndTheOldServerStays() throws Exception {
        Surge surge = new Surge();
        Role role = web(1);
        OpenStackTarget target = target(role);
        Change change = surge.plan(target, role);
        target.apply(role, List.of(change), Map.of());

        target.withdraw(List.of(change));

        assertThat(surge.servers).containsOnlyKeys("old");
        assertThat(surge.ports).containsOnlyKeys("port-old");
        assertThat(cloud.calls()).noneMatch(c -> c.contains("servers/old") || c.contains("ports/port-old"));
        assertThat(log).anyMatch(l -> l.startsWith("Removing the successor of web-1 (server new)"));
    }

    @Test
    void afterAKilledSurgeTheSuccessorWinsOverAServerBeingDeletedAndTheInstanceTakesItsPort() throws Exception {
        Surge surge = new Surge();
        // Killed while retiring: the old server is on its way out, its successor ACTIVE on the newer port.
        surge.servers.put("old", server("old", "web", 1, "ACTIVE", "d1").replace("\"status\"",
                "\"OS-EXT-STS:task_state\": \"deleting\", \"status\""));
        surge.servers.put("new", server("new", "web", 1, "ACTIVE", "d2").replace("2026-11-26T06:00:00Z",
                "2026-11-26T07:00:00Z"));
        surge.ports.put("port-new", surge.port("port-new", "new", "10.0.0.9", "2026-11-26T07:00:00Z"));
        Role role = web(1);
        OpenStackTarget target = target(role);

        assertThat(target.placements().of(role, 1).address()).isEqualTo("10.0.0.9");
        assertThat(target.discover()).extracting(Instance::id).containsExactly("new");

        // Without the deleting one, the oldest ACTIVE server stays (a successor that was never checked goes).
        surge.servers.put("old", server("old", "web", 1, "ACTIVE", "d1"));
        OpenStackTarget next = target(role);
        assertThat(next.placements().of(role, 1).address()).isEqualTo("10.0.0.5");
        assertThat(next.discover()).extracting(Instance::id).containsExactly("old");
    }

    @Test
    void destroyListsOnceAndDeletesServersPortsServerGroupAndKeyPairInOnePassUnderTheLock() throws Exception {
        AtomicInteger serverDeletes = new AtomicInteger();
        cloud.route("GET /compute/v2.1/servers/detail", r -> FakeCloud.json(200, serverDeletes.get() < 2
                ? "{\"servers\": [" + server("a", "web", 1, "ACTIVE", "d") + "," + server("b", "web", 2, "ACTIVE", "d")
                        + "]}" : "{\"servers\": []}"));
        cloud.route("DELETE /compute/v2.1/servers/[ab]", r -> {
            serverDeletes.incrementAndGet();
            return new okhttp3.mockwebserver.MockResponse().setResponseCode(204);
        });
        cloud.route("GET /network/v2.0/ports", 200, "{\"ports\": [{\"id\": \"p1\", \"name\": \"" + PREFIX
                + "-web-1\", \"device_id\": \"a\"}, {\"id\": \"p2\", \"name\": \"" + PREFIX + "-web-2\"},"
                + " {\"id\": \"p9\", \"name\": \"someone-else\"}]}");
        cloud.route("DELETE /network/v2.0/ports/p[12]", r -> new okhttp3.mockwebserver.MockResponse()
                .setResponseCode(204));
        cloud.route("GET /compute/v2.1/os-server-groups", 200, "{\"server_groups\": [{\"id\": \"g1\", \"name\": \""
                + PREFIX + "-web\", \"policies\": [\"soft-anti-affinity\"]}, {\"id\": \"g2\", \"name\": \"other\"}]}");
        cloud.route("DELETE /compute/v2.1/os-server-groups/g1", r -> new okhttp3.mockwebserver.MockResponse()
                .setResponseCode(204));
        cloud.route("GET /network/v2.0/security-groups", 200, "{\"security_groups\": []}");
        cloud.route("DELETE /compute/v2.1/os-keypairs/" + PREFIX, r -> new okhttp3.mockwebserver.MockResponse()
                .setResponseCode(202));

        target(web(2)).destroy();

        List<String> calls = cloud.calls().stream().map(c -> c.replaceAll("\\?.*", "")).toList();
        assertThat(calls).filteredOn(c -> c.startsWith("DELETE")).containsExactlyInAnyOrder(
                "DELETE /compute/v2.1/servers/a", "DELETE /compute/v2.1/servers/b", "DELETE /network/v2.0/ports/p1",
                "DELETE /network/v2.0/ports/p2", "DELETE /compute/v2.1/os-server-groups/g1",
                "DELETE /compute/v2.1/os-keypairs/" + PREFIX, "DELETE /compute/v2.1/os-keypairs/" + PREFIX + "-lock");
        // The lock first and last; one list of each kind, then one server list per tick; no key pair show and no
        // floating IP list (the site has none).
        assertThat(calls.get(1)).isEqualTo("POST /compute/v2.1/os-keypairs");
        assertThat(calls.get(calls.size() - 1)).isEqualTo("DELETE /compute/v2.1/os-keypairs/" + PREFIX + "-lock");
        assertThat(calls).filteredOn(c -> c.startsWith("GET")).containsOnly("GET /compute/v2.1/servers/detail",
                "GET /network/v2.0/ports", "GET /compute/v2.1/os-server-groups", "GET /network/v2.0/security-groups");
        assertThat(calls).filteredOn("GET /network/v2.0/ports"::equals).hasSize(1);
        assertThat(calls).filteredOn("GET /compute/v2.1/servers/detail"::equals).hasSize(2);
    }

    @Test
    void pollsGrowToATenthOfTheWaitSoFarWithinTheIntervalAndFiveSeconds() {
        Duration second = Duration.ofSeconds(1);
        assertThat(OpenStackTarget.nextPoll(second, Duration.ZERO)).isEqualTo(second);
        assertThat(OpenStackTarget.nextPoll(second, Duration.ofSeconds(9))).isEqualTo(second);
        assertThat(OpenStackTarget.nextPoll(second, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(3));
        assertThat(OpenStackTarget.nextPoll(second, Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5));
        // An interval asked for longer than the cap stays what was asked.
        assertThat(OpenStackTarget.nextPoll(Duration.ofSeconds(10), Duration.ofMinutes(10)))
                .isEqualTo(Duration.ofSeconds(10));
    }

    /** One network, no ports or groups yet: the placements make them. */
    private void routeNetworking() {
        cloud.route("GET /network/v2.0/networks", 200, "{\"networks\": [{\"id\": \"net-1\", \"name\": \"private\","
                + " \"router:external\": false}, {\"id\": \"net-2\", \"name\": \"public\", \"router:external\": true}]}");
        cloud.route("GET /network/v2.0/ports", 200, "{\"ports\": []}");
        cloud.route("GET /network/v2.0/security-groups", 200, "{\"security_groups\": []}");
        cloud.route("POST /network/v2.0/security-groups", 201, "{\"security_group\": {\"id\": \"sg-1\", \"name\": \""
                + PREFIX + "-web\", \"security_group_rules\": []}}");
        cloud.route("PUT /network/v2.0/security-groups/sg-1/tags", r -> FakeCloud.json(200, r.getBody().clone().readUtf8()));
        cloud.route("POST /network/v2.0/security-group-rules", 201, "{\"security_group_rule\": {\"id\": \"r-1\"}}");
        // Ports come in one bulk request, answered as Neutron answers one.
        cloud.route("POST /network/v2.0/ports", 201, "{\"ports\": [{\"id\": \"port-1\", \"name\": \"" + PREFIX
                + "-web-1\", \"network_id\": \"net-1\", \"fixed_ips\": [{\"subnet_id\": \"sub\", \"ip_address\":"
                + " \"10.0.0.5\"}]}]}");
    }

    private RecordedRequest find(String method, String path) {
        synchronized (cloud.requests) {
            return cloud.requests.stream().filter(r -> r.getMethod().equals(method)
                    && r.getPath().replaceAll("\\?.*", "").equals(path)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + method + " " + path + " in " + cloud.calls()));
        }
    }
}
