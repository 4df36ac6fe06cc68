package io.github.itsvc.release;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SSH git server on loopback: Debian's OpenSSH {@code sshd}, with a config, host key and authorized key made
 * for the test, serving the bare repositories under a folder through {@code git-upload-pack} and
 * {@code git-receive-pack} as any SSH git host does. Also makes the client side a user has: an SSH directory with a key
 * ({@code id_ed25519}) and, when asked, a known_hosts that lists the server.
 */
final class SshGitServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private SshGitServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * @param dir the server's own files (config, host key, authorized_keys, log)
     * @param authorized the public key files of the clients it lets in
     */
    static SshGitServer start(Path dir, List<Path> authorized) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path hostKey = keygen(dir.resolve("host_ed25519"), "test sshd host key");
        StringBuilder keys = new StringBuilder();
        for (Path key : authorized) {
            keys.append("restrict ").append(Files.readString(key, StandardCharsets.US_ASCII).strip()).append('\n');
        }
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), keys);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "AuthenticationMethods publickey",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                // The test's temp folders are not the 0700 a home's .ssh is.
                "StrictModes no",
                "LogLevel VERBOSE",
                ""));
        // sshd run by root wants its privilege separation directory, which the Debian service creates on start.
        Path privsep = Path.of("/run/sshd");
        if ("root".equals(System.getProperty("user.name")) && !Files.isDirectory(privsep)) {
            Files.createDirectories(privsep);
        }
        Process process = new ProcessBuilder(sshd(), "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new SshGitServer(process, port, dir);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("sshd did not start on port " + port + ": "
                            + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private static String sshd() {
        return Files.isExecutable(Path.of("/usr/sbin/sshd")) ? "/usr/sbin/sshd" : "sshd";
    }

    /** A new ed25519 key pair without passphrase: {@code file} and {@code file.pub}. */
    static Path keygen(Path file, String comment) throws IOException, InterruptedException {
        return keygen(file, comment, "");
    }

    static Path keygen(Path file, String comment, String passphrase) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", comment,
                "-f", file.toString()).redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keygen.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
        return file;
    }

    /** The known_hosts line of this server, as {@code ssh-keyscan -p <port> 127.0.0.1} prints it. */
    String knownHostsLine() throws IOException {
        String key = Files.readString(dir.resolve("host_ed25519.pub"), StandardCharsets.US_ASCII).strip();
        String[] parts = key.split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
    }

    /** A user's SSH directory with a new {@code id_ed25519} (whose {@code .pub} the server must authorize). */
    static Path userDirectory(Path dir) throws IOException, InterruptedException {
        keygen(dir.resolve("id_ed25519"), "release-manager@publisher.example");
        return dir;
    }

    /** Adds this server's host key to the known_hosts of an SSH directory. */
    void trustIn(Path sshDirectory) throws IOException {
        Files.writeString(sshDirectory.resolve("known_hosts"), knownHostsLine(), StandardCharsets.US_ASCII,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    int port() {
        return port;
    }

    /** The ssh:// URL of a repository by its absolute path, as the user running the tests. */
    String url(Path repository) {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + repository.toAbsolutePath();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
