package io.github.itsvc.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A service for the provisioning tests, run in its own JVM as a role's {@code run}: listens on 127.0.0.1 at
 * {@code $ITSVC_PORT_HTTP} (as the local target sets it) and answers every HTTP request with {@code instance <name>}
 * and the content of {@code page.txt} in its working directory (the instance root), if any. Not a test class.
 *
 * <p>Arguments: the events file, to which it appends {@code start <instance>}, {@code listening <instance>} and
 * {@code accepted <instance>} (one line per connection, checks included), so tests can tell in which order instances
 * started and were checked; then optionally {@code --delay-ms=<n>} to wait before listening, as a slow service would.
 */
public final class HttpServerMain {

    private HttpServerMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path events = Path.of(args[0]);
        long delayMillis = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--delay-ms=")) {
                delayMillis = Long.parseLong(args[i].substring("--delay-ms=".length()));
            }
        }
        String instance = System.getenv("ITSVC_INSTANCE");
        int port = Integer.parseInt(System.getenv("ITSVC_PORT_HTTP"));
        event(events, "start " + instance);
        Thread.sleep(delayMillis);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            event(events, "listening " + instance);
            System.out.println(instance + " listening on " + port);
            System.out.flush();
            while (true) {
                try (Socket s = server.accept()) {
                    event(events, "accepted " + instance);
                    answer(s, instance);
                } catch (IOException e) {
                    System.err.println(instance + ": " + e);
                }
            }
        }
    }

    private static void answer(Socket s, String instance) throws IOException {
        s.setSoTimeout(5000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return; // a tcp check: connected, then closed
        }
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            // headers: ignored
        }
        Path page = Path.of("page.txt");
        String body = "instance " + instance + "\n" + (Files.exists(page) ? Files.readString(page) : "");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** One line, appended in one write: lines of several processes do not mix. */
    private static void event(Path events, String line) throws IOException {
        Files.writeString(events, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
