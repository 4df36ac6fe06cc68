package io.github.itsvc.target.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.target.TargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The site's lock on the cloud against recorded Nova answers: taken, refused naming its holder, taken over when stale. */
class CloudLockTest {

    static final String NAME = "itsvc-wiki-live-lock";
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

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

    private CloudLock take(Cloud connection) throws TargetException {
        return CloudLock.take(connection, "itsvc-wiki-live", "live", "provision", Duration.ofMinutes(20), log::add,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Nova's answer to a create of a name that exists, and its show of the holder's key pair. */
    private void heldBy(String holder) {
        cloud.route("POST /compute/v2.1/os-keypairs", 409, "{\"conflictingRequest\": {\"code\": 409, \"message\":"
                + " \"Key pair '" + NAME + "' already exists.\"}}");
        cloud.route("GET /compute/v2.1/os-keypairs/" + NAME, 200, "{\"keypair\": {\"name\": \"" + NAME + "\","
                + " \"public_key\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA " + holder + "\"}}");
    }

    @Test
    void takesTheLockWithOneCreateCarryingTheHolderAndReleasesItWithOneDelete() throws Exception {
        Cloud connection = cloud.connect();
        CloudLock lock = take(connection);
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cloud.requests.stream()
                .filter(r -> r.getMethod().equals("POST") && r.getPath().endsWith("/os-keypairs")).findFirst()
                .orElseThrow().getBody().readUtf8()).get("keypair");
        assertThat(body.get("name").asText()).isEqualTo(NAME);
        assertThat(body.get("public_key").asText()).matches("ssh-ed25519 \\S+ itsvc-lock:provision:[^@ ]+@[^: ]+:pid="
                + ProcessHandle.current().pid() + ":since=2026-11-26T12:00:00Z");
        lock.release();
        lock.release(); // once
        assertThat(cloud.calls()).filteredOn(c -> !c.contains("auth/tokens"))
                .containsExactly("POST /compute/v2.1/os-keypairs", "DELETE /compute/v2.1/os-keypairs/" + NAME);
        assertThat(connection.requests(Cloud.Kind.LOCK)).isEqualTo(2);
        assertThat(connection.requests(Cloud.Kind.CREATE)).isZero();
    }

    @Test
    void aHeldLockIsRefusedNamingItsHolderWithAFixAndIsNotRetried() throws Exception {
        heldBy("itsvc-lock:destroy:alice@ops-1:pid=4242:since=2026-11-26T11:50:00Z");
        assertThatThrownBy(() -> take(cloud.connect())).isInstanceOf(TargetException.class)
                .hasMessageContaining("site live is being changed by another run: itsvc:destroy by alice@ops-1"
                        + " (process 4242), since 2026-11-26T11:50:00Z (lock: key pair " + NAME + " on cloud fake)")
                .hasMessageContaining("fix: wait until that run ends")
                .hasMessageContaining("keypair delete " + NAME)
                .hasMessageContaining("after 2026-11-26T12:15:00Z");
        assertThat(cloud.calls()).filteredOn(c -> c.startsWith("POST /compute")).hasSize(1);
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("DELETE"));
        assertThat(log).isEmpty();
    }

    @Test
    void aLockOlderThanTheDeadlinePlusTheMarginIsTakenOverWithAWarning() throws Exception {
        heldBy("itsvc-lock:provision:bob@ops-2:pid=77:since=2026-11-26T11:34:59Z"); // 25 min 1 s ago
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        cloud.route("DELETE /compute/v2.1/os-keypairs/" + NAME, r -> {
            order.add("delete");
            // Gone: the next create gets it.
            cloud.route("POST /compute/v2.1/os-keypairs", r2 -> {
                order.add("create");
                return FakeCloud.json(200, "{\"keypair\": {\"name\": \"" + NAME + "\"}}");
            });
            return new MockResponse().setResponseCode(202);
        });
        CloudLock lock = take(cloud.connect());
        assertThat(lock.name()).isEqualTo(NAME);
        assertThat(order).containsExactly("delete", "create");
        assertThat(log).singleElement().asString().startsWith("WARNING: taking over the lock of site live")
                .contains("itsvc:provision by bob@ops-2 (process 77)").contains("older than the run's deadline");
    }

    @Test
    void aLockWithinTheDeadlinePlusTheMarginIsNotStale() throws Exception {
        heldBy("itsvc-lock:provision:bob@ops-2:pid=77:since=2026-11-26T11:35:01Z"); // 24 min 59 s ago
        assertThatThrownBy(() -> take(cloud.connect())).hasMessageContaining("bob@ops-2");
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("DELETE"));
    }

    @Test
    void aLockOfAnEndedProcessOfThisMachineIsTakenOver() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        heldBy("itsvc-lock:provision:me@" + host + ":pid=" + ended.pid() + ":since=2026-11-26T11:59:00Z");
        cloud.route("DELETE /compute/v2.1/os-keypairs/" + NAME, r -> {
            cloud.route("POST /compute/v2.1/os-keypairs", 200, "{\"keypair\": {\"name\": \"" + NAME + "\"}}");
            return new MockResponse().setResponseCode(202);
        });
        take(cloud.connect());
        assertThat(log).singleElement().asString().contains("its process has ended on this machine");
    }

    @Test
    void aLockThisRunMadeWhoseAnswerWasLostIsItsOwn() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> made = new java.util.concurrent.atomic.AtomicReference<>();
        cloud.route("POST /compute/v2.1/os-keypairs", r -> {
            String key = r.getBody().readUtf8().replaceAll("(?s).*\"public_key\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            if (made.compareAndSet(null, key)) {
                return FakeCloud.json(503, "{\"message\": \"made, but the answer was lost\"}");
            }
            return FakeCloud.json(409, "{\"conflictingRequest\": {\"code\": 409}}");
        });
        cloud.route("GET /compute/v2.1/os-keypairs/" + NAME, r -> FakeCloud.json(200, "{\"keypair\": {\"name\": \""
                + NAME + "\", \"public_key\": \"" + made.get() + "\"}}"));
        assertThat(take(cloud.connect()).name()).isEqualTo(NAME);
        assertThat(log).isEmpty();
    }

    @Test
    void aLockOfTheSameProcessAndSecondButAnotherTakeIsRefused() throws Exception {
        // Two targets of one process (an IT, a tool driving two sites' runs) say the same holder words; only the
        // take whose key Nova holds is the owner.
        String host = java.net.InetAddress.getLocalHost().getHostName();
        heldBy("itsvc-lock:provision:" + System.getProperty("user.name") + "@" + host + ":pid="
                + ProcessHandle.current().pid() + ":since=" + NOW);
        assertThatThrownBy(() -> take(cloud.connect())).isInstanceOf(TargetException.class)
                .hasMessageContaining("is being changed by another run");
        assertThat(cloud.calls()).noneMatch(c -> c.startsWith("DELETE"));
    }

    @Test
    void theLocksPublicKeyIsAnOpenSshEd25519Key() {
        String key = CloudLock.publicKey("itsvc-lock:x");
        String[] parts = key.split(" ");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("ssh-ed25519");
        assertThat(java.util.Base64.getDecoder().decode(parts[1])).hasSize(4 + 11 + 4 + 32);
        assertThat(parts[2]).isEqualTo("itsvc-lock:x");
    }
}
