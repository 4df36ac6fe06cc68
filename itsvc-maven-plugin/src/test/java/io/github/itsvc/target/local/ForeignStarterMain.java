package io.github.itsvc.target.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Plays the Maven run that starts an instance: starts it, prints {@code started <pid>}, then waits to be killed, so a
 * test can kill this JVM with SIGKILL and check the instance lives on. Not a test class.
 */
public final class ForeignStarterMain {

    private ForeignStarterMain() {}

    public static void main(String[] args) throws Exception {
        Started s = new LocalProcesses().start(Path.of(args[0]), new ProcessSpec(args[1], Map.of(), Map.of(), "d"));
        System.out.println("started " + s.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
