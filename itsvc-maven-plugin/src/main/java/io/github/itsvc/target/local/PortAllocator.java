package io.github.itsvc.target.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands out free TCP ports on 127.0.0.1 for one run (one per Maven invocation): never the same port twice, and a
 * port an instance had before when it is still free, so a restart keeps its URLs.
 *
 * <p>A port is free when handed out; nothing holds it until the service binds it, so another program may take it in
 * between. Ports come from the kernel's ephemeral range (bind to port 0).
 */
public final class PortAllocator {

    private static final int ATTEMPTS = 100;

    private final Set<Integer> given = new HashSet<>();

    /** Never hand out {@code port} (e.g. held by an instance that is kept running). */
    public synchronized void reserve(int port) {
        given.add(port);
    }

    /**
     * One port per name.
     *
     * @param names the port names, e.g. a role's {@code ports} keys
     * @param previous the ports the instance had (from its state), kept when free and not yet handed out
     * @return a port per name, in the order of {@code names}
     * @throws IOException no free port could be found
     */
    public synchronized Map<String, Integer> allocate(Collection<String> names, Map<String, Integer> previous)
            throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, null));
        // Keep previous ports first, so a fresh port for one name cannot take another name's previous port.
        for (String name : names) {
            Integer before = previous.get(name);
            if (before != null && before >= 1 && before <= 65535 && !given.contains(before) && Ports.isFree(before)) {
                out.put(name, before);
                given.add(before);
            }
        }
        // Sockets stay bound until the batch is done, so the kernel cannot offer the same port twice within it.
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> e : out.entrySet()) {
                if (e.getValue() == null) {
                    e.setValue(fresh(held));
                }
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }

    private int fresh(List<ServerSocket> held) throws IOException {
        for (int i = 0; i < ATTEMPTS; i++) {
            ServerSocket s = new ServerSocket();
            held.add(s);
            s.bind(new InetSocketAddress(Ports.LOOPBACK, 0), 1);
            int port = s.getLocalPort();
            if (given.add(port)) {
                return port;
            }
        }
        throw new IOException("no free TCP port on 127.0.0.1 after " + ATTEMPTS + " attempts");
    }
}
