package io.github.itsvc.binaries;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publisher on loopback for the tests: a real HTTP server on 127.0.0.1 (a free port) that serves files, redirects,
 * errors, and the bad cases: a body that stalls, an answer that never comes, a body shorter than its Content-Length.
 */
final class Publisher implements AutoCloseable {

    private interface Route {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    Publisher() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try (exchange) {
                Route route = routes.get(path);
                if (route == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    route.handle(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away, or a deliberately broken answer: nothing to do
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Publisher file(String path, byte[] content) {
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                // in pieces, as a real server would send a large file
                for (int off = 0; off < content.length; off += 64 * 1024) {
                    out.write(content, off, Math.min(64 * 1024, content.length - off));
                }
            }
        });
        return this;
    }

    /**
     * Serves a file from disk, as a web server serves a large download: its Content-Length, then the content in 1 MiB
     * writes (for the benchmark's files, too big to hold in memory).
     */
    Publisher file(String path, Path file) {
        routes.put(path, exchange -> {
            long length = Files.size(file);
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[1 << 20];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            }
        });
        return this;
    }

    /** A body without Content-Length (chunked). */
    Publisher chunked(String path, byte[] content) {
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
        return this;
    }

    Publisher redirect(String path, int status, String location) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
        return this;
    }

    /** Asks for Basic credentials (401), and notes every Authorization header it is sent. */
    Publisher asksWhoIsThere(String path, java.util.List<String> authorizations) {
        routes.put(path, exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"publisher\"");
            exchange.sendResponseHeaders(401, -1);
        });
        return this;
    }

    Publisher status(String path, int status) {
        routes.put(path, exchange -> exchange.sendResponseHeaders(status, -1));
        return this;
    }

    /** Sends the headers and the first {@code sent} bytes, then nothing for {@code stall}. */
    Publisher stalling(String path, byte[] content, int sent, Duration stall) {
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            OutputStream out = exchange.getResponseBody();
            out.write(content, 0, sent);
            out.flush();
            Thread.sleep(stall.toMillis());
        });
        return this;
    }

    /** Answers only after {@code delay}. */
    Publisher slowAnswer(String path, byte[] content, Duration delay) {
        Route file = exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
        };
        routes.put(path, exchange -> {
            Thread.sleep(delay.toMillis());
            file.handle(exchange);
        });
        return this;
    }

    /** Announces the whole length, sends only {@code sent} bytes, then closes the connection. */
    Publisher truncated(String path, byte[] content, int sent) {
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            OutputStream out = exchange.getResponseBody();
            out.write(content, 0, sent);
            out.flush();
            exchange.close(); // fewer bytes than announced: the server drops the connection
        });
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
