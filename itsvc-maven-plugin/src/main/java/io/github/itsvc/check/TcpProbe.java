package io.github.itsvc.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Opens a TCP connection once, and closes it. */
final class TcpProbe implements Probe {

    private final String address;
    private final int port;

    TcpProbe(String address, int port) {
        this.address = address;
        this.port = port;
    }

    @Override
    public Attempt attempt(Duration timeout) {
        String hostPort = (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            return Attempt.pass("connected to " + hostPort);
        } catch (SocketTimeoutException e) {
            return Attempt.fail("timed out after " + Text.duration(timeout) + " connecting to " + hostPort);
        } catch (ConnectException e) {
            return Attempt.fail(HttpProbe.refusedOrNot(e, hostPort));
        } catch (UnknownHostException e) {
            return Attempt.fail("unknown host " + address);
        } catch (IOException e) {
            return Attempt.fail("cannot connect to " + hostPort + ": " + e.getMessage());
        }
    }
}
