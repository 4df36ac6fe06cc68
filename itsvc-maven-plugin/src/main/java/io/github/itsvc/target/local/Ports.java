package io.github.itsvc.target.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/** TCP ports on 127.0.0.1 (never "localhost", which may resolve to ::1 first). */
public final class Ports {

    static final InetAddress LOOPBACK = loopback();

    private Ports() {}

    /**
     * Whether {@code port} can be listened on at 127.0.0.1 now. With SO_REUSEADDR, as servers bind, so a port left in
     * TIME_WAIT by a stopped instance counts as free and its restart keeps its URL.
     */
    public static boolean isFree(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port} within {@code timeout}. */
    public static boolean waitForPort(int port, Duration timeout) throws InterruptedException {
        return waitForPort(port, timeout, null);
    }

    /**
     * Whether something accepts connections on 127.0.0.1:{@code port} within {@code timeout}; gives up as soon as
     * {@code watched} (if not null) has exited, since a dead service will never listen.
     */
    public static boolean waitForPort(int port, Duration timeout, ProcessHandle watched) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        while (true) {
            long left = deadline - System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port),
                        (int) Math.max(1, Math.min(1000, Duration.ofNanos(left).toMillis())));
                return true;
            } catch (IOException e) {
                // not yet
            }
            if (watched != null && !Procs.alive(watched)) {
                return false;
            }
            left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(pauseMillis, Duration.ofNanos(left).toMillis())));
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a bad address length
        }
    }
}
