package io.github.itsvc.target.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Process facts beyond {@link ProcessHandle}: zombies, process groups and exact start times. On Linux they come
 * from {@code /proc}; elsewhere from the POSIX {@code kill} utility, or not at all.
 */
final class Procs {

    private static final Path PROC = Path.of("/proc");
    private static final boolean HAS_PROC = Files.isReadable(PROC.resolve("self/stat"));
    private static final Duration KILL_UTILITY_TIMEOUT = Duration.ofSeconds(5);
    private static volatile String bootId;

    private Procs() {}

    /** The fields of {@code /proc/<pid>/stat} we use. */
    record Stat(char state, long pgrp, long session, long startTicks) {
        boolean zombie() {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }

    static boolean hasProc() {
        return HAS_PROC;
    }

    static Optional<Stat> stat(long pid) {
        if (!HAS_PROC) {
            return Optional.empty();
        }
        byte[] b;
        try {
            b = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        int i = b.length - 1;
        while (i >= 0 && b[i] != ')') {
            i--;
        }
        if (i < 0 || i + 2 >= b.length) {
            return Optional.empty();
        }
        char state = (char) b[i + 2];
        long pgrp = -1;
        long session = -1;
        long start = -1;
        // Fields after the name, numbered as in proc(5): 3 state, 4 ppid, 5 pgrp, 6 session, ..., 22 starttime.
        int field = 3;
        int at = i + 2;
        while (at < b.length && field <= 22) {
            int end = at;
            while (end < b.length && b[end] != ' ' && b[end] != '\n') {
                end++;
            }
            switch (field) {
                case 5 -> pgrp = number(b, at, end);
                case 6 -> session = number(b, at, end);
                case 22 -> start = number(b, at, end);
                default -> { }
            }
            field++;
            at = end + 1;
        }
        if (pgrp < 0 || session < 0 || start < 0) {
            return Optional.empty();
        }
        return Optional.of(new Stat(state, pgrp, session, start));
    }

    private static long number(byte[] b, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        for (int k = from; k < to; k++) {
            if (b[k] < '0' || b[k] > '9' || n > Long.MAX_VALUE / 10 - 9) {
                return -1;
            }
            n = n * 10 + (b[k] - '0');
        }
        return n;
    }

    /**
     * The Linux start marker of a process: boot id and start time in clock ticks since boot. Exact, and unlike the
     * JDK's {@code startInstant()} (boot time from the wall clock) it does not shift when the clock is set.
     */
    static Optional<String> linuxMarker(long pid) {
        return stat(pid).map(s -> bootId() + "/" + s.startTicks());
    }

    private static String bootId() {
        String id = bootId;
        if (id == null) {
            try {
                id = Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                id = "";
            }
            bootId = id;
        }
        return id;
    }

    /**
     * Alive and not a zombie. A handle reports a zombie as alive, and zombies are common: where PID 1 does not reap
     * (many containers) every orphan we kill stays one for good.
     */
    static boolean alive(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        if (!HAS_PROC) {
            return true;
        }
        return stat(h.pid()).map(s -> !s.zombie()).orElse(false);
    }

    /**
     * Whether process group {@code pgid} has a live member. While it has one, the kernel hands out no pid equal to
     * {@code pgid}, so the group is still the one we created.
     */
    static boolean groupAlive(long pgid) {
        if (HAS_PROC) {
            try {
                return groupAliveByProc(pgid);
            } catch (IOException | RuntimeException e) {
                // fall through to kill -0
            }
        }
        return groupAliveByKill(pgid);
    }

    static boolean groupAliveByProc(long pgid) throws IOException {
        try (Stream<Path> all = Files.list(PROC)) {
            return all.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(n -> stat(Long.parseLong(n)))
                    .flatMap(Optional::stream)
                    .anyMatch(s -> s.pgrp() == pgid && !s.zombie());
        }
    }

    /** Portable, but counts zombies: fine where PID 1 reaps (macOS launchd). */
    static boolean groupAliveByKill(long pgid) {
        return kill("0", pgid);
    }

    /** Sends {@code signal} (a name such as TERM) to every process of group {@code pgid}; false if none got it. */
    static boolean signalGroup(long pgid, String signal) {
        return kill(signal, pgid);
    }

    /**
     * Java cannot signal a process group, so ask the shell's kill, in the one form every shell takes: dash rejects
     * {@code kill -0 -- -pgid} and {@code kill -s TERM -pgid}, accepts {@code kill -s TERM -- -pgid} (signal 0 too).
     */
    private static boolean kill(String signal, long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group we own: " + pgid);
        }
        if (!signal.matches("[0-9A-Z]+")) {
            throw new IllegalArgumentException("signal " + signal);
        }
        String script = "kill -s " + signal + " -- -" + pgid + " 2>/dev/null";
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(KILL_UTILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
