package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void allocatesDistinctBindablePortsAcrossCalls() throws IOException {
        PortAllocator allocator = new PortAllocator();
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Integer> ports = allocator.allocate(List.of("http", "https", "admin"), Map.of());
            assertThat(ports).containsOnlyKeys("http", "https", "admin");
            all.addAll(ports.values());
        }
        assertThat(all).hasSize(60);
        List<ServerSocket> bound = new ArrayList<>();
        try {
            for (int port : all) {
                ServerSocket s = new ServerSocket();
                bound.add(s);
                s.bind(new InetSocketAddress(Ports.LOOPBACK, port)); // throws if not bindable
            }
        } finally {
            for (ServerSocket s : bound) {
                s.close();
            }
        }
    }

    @Test
    void keepsAPreviousPortThatIsStillFree() throws IOException {
        int previous = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        Map<String, Integer> ports = new PortAllocator().allocate(List.of("http"), Map.of("http", previous));
        assertThat(ports).containsEntry("http", previous);
    }

    @Test
    void replacesAPreviousPortThatIsTakenOrAlreadyGiven() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            PortAllocator allocator = new PortAllocator();
            int given = allocator.allocate(List.of("a"), Map.of()).get("a");
            Map<String, Integer> ports = allocator.allocate(List.of("http", "admin"),
                    Map.of("http", taken.getLocalPort(), "admin", given));
            assertThat(ports.get("http")).isNotEqualTo(taken.getLocalPort());
            assertThat(ports.get("admin")).isNotEqualTo(given);
        }
    }

    @Test
    void aPreviousPortIsKeptEvenIfAnEarlierNameNeedsAFreshOne() throws IOException {
        int previous = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        Map<String, Integer> ports = new PortAllocator().allocate(List.of("first", "second"),
                Map.of("second", previous));
        assertThat(ports).containsEntry("second", previous);
        assertThat(ports.get("first")).isNotEqualTo(previous);
    }

    @Test
    void twoNamesWithTheSamePreviousPortGetDifferentPorts() throws IOException {
        int previous = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        Map<String, Integer> ports = new PortAllocator().allocate(List.of("a", "b"), Map.of("a", previous,
                "b", previous));
        assertThat(ports).containsEntry("a", previous);
        assertThat(ports.get("b")).isNotEqualTo(previous);
    }

    @Test
    void aReservedPortIsNotHandedOut() throws IOException {
        PortAllocator allocator = new PortAllocator();
        int previous = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        allocator.reserve(previous);
        assertThat(allocator.allocate(List.of("http"), Map.of("http", previous)).get("http")).isNotEqualTo(previous);
    }

    @Test
    void isFreeTellsAListeningPortFromAFreeOne() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            assertThat(Ports.isFree(s.getLocalPort())).isFalse();
        }
        int port = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        assertThat(Ports.isFree(port)).isTrue();
    }

    @Test
    void waitForPortSeesAListenerThatComesLate() throws Exception {
        int port = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        CompletableFuture<ServerSocket> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return new ServerSocket(port, 50, Ports.LOOPBACK);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(Ports.waitForPort(port, Duration.ofSeconds(10))).isTrue();
        } finally {
            late.join().close();
        }
    }

    @Test
    void waitForPortGivesUpAfterItsTimeout() throws Exception {
        int port = new PortAllocator().allocate(List.of("x"), Map.of()).get("x");
        long t0 = System.nanoTime();
        assertThat(Ports.waitForPort(port, Duration.ofMillis(300))).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
    }
}
