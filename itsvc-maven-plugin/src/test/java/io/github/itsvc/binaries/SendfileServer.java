package io.github.itsvc.binaries;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's publisher: serves one file on 127.0.0.1 the way production web servers serve static files, with
 * {@code sendfile} ({@link FileChannel#transferTo}, which the JDK maps to it on Linux): the kernel moves the bytes
 * from the page cache to the socket, and the server's own CPU cost is small. The JDK's {@code HttpServer} (the
 * {@link Publisher} of the tests) copies every byte through the heap instead, which on a 2-CPU machine takes CPU the
 * client being measured would otherwise have.
 *
 * <p>HTTP/1.1, GET only, one request per connection ({@code Connection: close}), the file at one path and 404
 * elsewhere. A benchmark tool, not a web server.
 */
final class SendfileServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final String path;
    private final Path file;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicLong cpuNanos = new AtomicLong();

    SendfileServer(String path, Path file) throws IOException {
        this.path = path;
        this.file = file;
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "sendfile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() throws IOException {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort() + path;
    }

    /** Requests for the file so far. */
    int hits() {
        return hits.get();
    }

    /**
     * CPU time its connection threads took so far (sendfile's work in the kernel included: it runs on the thread that
     * calls it), so the benchmark can tell the publisher's share of the JVM's CPU time from the client's.
     */
    long cpuNanos() {
        return cpuNanos.get();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread t = new Thread(() -> serve(client), "sendfile-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        try {
            serveOne(client);
        } finally {
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            if (cpu > 0) {
                cpuNanos.addAndGet(cpu);
            }
        }
    }

    private void serveOne(SocketChannel client) {
        try (client) {
            String request = readHead(client);
            if (request == null) {
                return;
            }
            String[] line = request.substring(0, request.indexOf('\r')).split(" ");
            if (line.length < 2 || !line[0].equals("GET") || !line[1].equals(path)) {
                write(client, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            hits.incrementAndGet();
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long length = in.size();
                write(client, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
                        + "\r\nConnection: close\r\n\r\n");
                for (long sent = 0; sent < length; ) {
                    sent += in.transferTo(sent, length - sent, client);
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The request line and headers, up to the blank line; {@code null} if the client closed first. */
    private static String readHead(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (buffer.hasRemaining()) {
            if (client.read(buffer) < 0) {
                return null;
            }
            String head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            if (head.contains("\r\n\r\n")) {
                return head;
            }
        }
        return null; // a head this large is not a request of the benchmark
    }

    private static void write(SocketChannel client, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(10_000);
    }
}
