package io.github.itsvc.binaries;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on 127.0.0.1 for the tests, like a company's squid: plain-http requests in absolute form are
 * passed on to their server (one request per connection), {@code CONNECT} opens a tunnel; with a user and password
 * set, anything without the matching {@code Proxy-Authorization: Basic} gets 407.
 */
final class TestProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String expected;
    /** The first line of every request, and whether it carried the right credentials. */
    final List<String> seen = new CopyOnWriteArrayList<>();

    /** @param user {@code null} for a proxy that lets everyone through */
    TestProxy(String user, String password) throws IOException {
        expected = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "test-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A selector that sends everything through this proxy, loopback included. */
    ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        };
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "test-proxy-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            boolean authorized = expected == null;
            StringBuilder forwarded = new StringBuilder();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                String name = line.substring(0, Math.max(0, line.indexOf(':'))).strip();
                if (name.equalsIgnoreCase("Proxy-Authorization")) {
                    authorized |= line.substring(line.indexOf(':') + 1).strip().equals(expected);
                } else if (!name.equalsIgnoreCase("Proxy-Connection") && !name.equalsIgnoreCase("Connection")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            seen.add(lines[0] + (authorized ? " [authorized]" : " [anonymous]"));
            OutputStream out = client.getOutputStream();
            if (!authorized) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (request[0].equals("CONNECT")) {
                String[] hostPort = request[1].split(":");
                try (Socket origin = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    pipe(client, origin);
                }
                return;
            }
            URI target = URI.create(request[1]);
            try (Socket origin = new Socket(target.getHost(), target.getPort())) {
                String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                origin.getOutputStream().write((request[0] + " " + path + " " + request[2] + "\r\n" + forwarded
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                origin.getOutputStream().flush();
                origin.getInputStream().transferTo(out);
            }
        } catch (IOException e) {
            // a side went away
        }
    }

    private static void pipe(Socket client, Socket origin) throws IOException {
        Thread up = new Thread(() -> {
            try {
                client.getInputStream().transferTo(origin.getOutputStream());
                origin.shutdownOutput();
            } catch (IOException e) {
                // closed
            }
        }, "test-proxy-up");
        up.setDaemon(true);
        up.start();
        origin.getInputStream().transferTo(client.getOutputStream());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
