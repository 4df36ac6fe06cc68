package io.github.itsvc.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 with the answers the tests need. */
final class TestServer implements AutoCloseable {

    final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** Requests to /warming-up so far. */
    final AtomicInteger warmingUpCalls = new AtomicInteger();
    /** /warming-up answers 503 this many times, then 200. */
    volatile int unhealthyFor = 3;
    /** The body /bytes answers with. */
    volatile String bytesBody = "";

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", x -> send(x, 200, "<h1>team-wiki</h1> on dev", Map.of()));
        server.createContext("/warming-up", x -> {
            if (warmingUpCalls.incrementAndGet() <= unhealthyFor) {
                send(x, 503, "starting", Map.of());
            } else {
                send(x, 200, "team-wiki ready", Map.of());
            }
        });
        server.createContext("/error", x -> send(x, 500, "boom: NullPointerException", Map.of()));
        server.createContext("/headers", x -> send(x, 200, "ok", Map.of(
                "Content-Type", "text/plain; charset=utf-8",
                "X-Version", "1.2",
                "Set-Cookie", "session=s3cr3t")));
        server.createContext("/redirect", x -> send(x, 302, "", Map.of("Location", "/login")));
        server.createContext("/slow", x -> {
            sleep(3000);
            send(x, 200, "late", Map.of());
        });
        server.createContext("/trickle", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write('a');
                out.flush();
                sleep(3000);
            }
        });
        server.createContext("/big", x -> {
            byte[] body = new byte[2 * 1024 * 1024 + 10];
            java.util.Arrays.fill(body, (byte) 'x');
            System.arraycopy("MARKER".getBytes(StandardCharsets.US_ASCII), 0, body, body.length - 6, 6);
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client hung up after what it needed: that is the point
            }
        });
        server.createContext("/latin1", x -> {
            x.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            byte[] body = "Caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/bytes", x -> send(x, 500, bytesBody, Map.of()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    Endpoint endpoint() {
        return Fixtures.web(port());
    }

    private static void send(HttpExchange x, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
