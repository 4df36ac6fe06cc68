package io.github.itsvc.target.local;

import static io.github.itsvc.target.local.Testing.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcsTest {

    @RegisterExtension
    final Leftovers leftovers = new Leftovers();

    @Test
    void aZombieIsNotAlive() throws Exception {
        assumeTrue(Procs.hasProc(), "Linux /proc");
        // `exec sleep` never reaps: its short-lived child stays a zombie for as long as it runs.
        Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 1 & echo $!; exec sleep 300").start();
        leftovers.track(parent.toHandle());
        try {
            long pid = Long.parseLong(new BufferedReader(
                    new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8)).readLine());
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
            assertThat(Procs.alive(child)).isTrue();
            await("the zombie", Duration.ofSeconds(10),
                    () -> Procs.stat(pid).map(Procs.Stat::zombie).orElse(false));
            assertThat(Procs.alive(child)).as("a zombie, though the handle may say alive").isFalse();
        } finally {
            parent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void tellsALiveProcessGroupFromAnEmptyOneBothWays() throws Exception {
        var setsid = Launcher.onPath("setsid");
        assumeTrue(setsid.isPresent(), "setsid");
        Process leader = new ProcessBuilder(setsid.get().toString(), "sleep", "300").start();
        leftovers.track(leader.toHandle());
        long pgid = leader.pid();
        try {
            await("setsid to exec", Duration.ofSeconds(10),
                    () -> Procs.stat(pgid).map(s -> s.pgrp() == pgid).orElse(!Procs.hasProc()));
            assertThat(Procs.groupAliveByKill(pgid)).isTrue();
            if (Procs.hasProc()) {
                assertThat(Procs.groupAliveByProc(pgid)).isTrue();
            }
            assertThat(Procs.signalGroup(pgid, "TERM")).isTrue();
            assertThat(leader.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Procs.groupAliveByKill(pgid)).isFalse();
            assertThat(Procs.groupAlive(pgid)).isFalse();
            assertThat(Procs.signalGroup(pgid, "TERM")).as("nobody left to signal").isFalse();
        } finally {
            leader.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsTheFieldsAfterACommandNameWithSpacesAndParentheses() throws Exception {
        assumeTrue(Procs.hasProc(), "Linux /proc");
        Path dir = java.nio.file.Files.createTempDirectory("procs");
        Path odd = dir.resolve("a b) (c");
        java.nio.file.Files.copy(Path.of("/bin/sleep"), odd);
        odd.toFile().setExecutable(true);
        Process p = new ProcessBuilder(odd.toString(), "300").start();
        leftovers.track(p.toHandle());
        try {
            Procs.Stat stat = Procs.stat(p.pid()).orElseThrow();
            assertThat(stat.state()).isIn('R', 'S');
            assertThat(stat.startTicks()).isPositive();
            assertThat(Procs.linuxMarker(p.pid())).hasValueSatisfying(m -> m.endsWith("/" + stat.startTicks()));
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            java.nio.file.Files.delete(odd);
            java.nio.file.Files.delete(dir);
        }
    }
}
