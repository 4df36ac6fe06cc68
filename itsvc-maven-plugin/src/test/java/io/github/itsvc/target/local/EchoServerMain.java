package io.github.itsvc.target.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A service for tests: listens on 127.0.0.1:$ITSVC_TEST_PORT and greets every connection. Not a test class. */
public final class EchoServerMain {

    static final String GREETING = "hello from the echo server";

    private EchoServerMain() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("ITSVC_TEST_PORT"));
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            System.out.println("listening on " + port);
            System.out.flush();
            System.err.println("echo server ready");
            while (true) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write((GREETING + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
