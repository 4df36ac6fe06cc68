package io.github.itsvc.target.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills, after each test, every process the test started and left alive, and fails a test that passed but left
 * any: tests must clean up after themselves, and a failing one must not leak into the next. Found through tracked
 * handles, the processes of tracked instance directories, their descendants, and on Linux any process whose
 * working directory is inside a tracked instance directory (which catches orphans no handle leads to).
 */
final class Leftovers implements AfterEachCallback {

    private final List<Path> dirs = new ArrayList<>();
    private final List<ProcessHandle> handles = new ArrayList<>();

    Path track(Path instanceDir) {
        dirs.add(instanceDir);
        return instanceDir;
    }

    ProcessHandle track(ProcessHandle h) {
        handles.add(h);
        return h;
    }

    Started track(Started s) {
        handles.add(s.process().toHandle());
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Set<ProcessHandle> alive = new LinkedHashSet<>();
        for (ProcessHandle h : handles) {
            collect(h, alive);
        }
        for (Path dir : dirs) {
            try {
                new LocalProcesses().discover(dir).live().ifPresent(h -> collect(h, alive));
            } catch (IOException e) {
                // a test may leave a broken state file on purpose; its processes are found otherwise
            }
        }
        insideTrackedDirs().forEach(h -> collect(h, alive));
        if (alive.isEmpty()) {
            return;
        }
        String described = alive.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
        alive.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alive.stream().anyMatch(Procs::alive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test left processes running (now killed): " + described);
        }
    }

    private List<ProcessHandle> insideTrackedDirs() throws IOException {
        if (!Procs.hasProc() || dirs.isEmpty()) {
            return List.of();
        }
        List<Path> roots = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.exists(d)) {
                roots.add(d.toRealPath());
            }
        }
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            Path cwd = Files.readSymbolicLink(p.resolve("cwd"));
                            return roots.stream().anyMatch(cwd::startsWith);
                        } catch (IOException | RuntimeException e) {
                            return false; // gone, or not ours to read
                        }
                    })
                    .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                    .flatMap(java.util.Optional::stream)
                    .toList();
        }
    }

    private static void collect(ProcessHandle h, Set<ProcessHandle> into) {
        if (Procs.alive(h)) {
            into.add(h);
            h.descendants().filter(Procs::alive).forEach(into::add);
        }
    }
}
