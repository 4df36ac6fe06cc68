package io.github.itsvc.release;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git server on loopback: {@code git daemon} serving the bare repositories under a folder, started by a test and
 * stopped after it ({@link GitUpstreams} does both). Pushes are allowed unless made read-only.
 */
final class GitDaemon implements AutoCloseable {

    private final Process process;
    private final int port;

    private GitDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static GitDaemon start(Path base, boolean receivePack) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("git", "daemon", "--export-all", "--reuseaddr",
                "--informative-errors", "--base-path=" + base, "--port=" + port, "--listen=127.0.0.1"));
        if (receivePack) {
            command.add("--enable=receive-pack");
        }
        command.add(base.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(base.resolveSibling("git-daemon-" + port + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new GitDaemon(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("git daemon did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
