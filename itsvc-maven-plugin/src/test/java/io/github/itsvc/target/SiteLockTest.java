package io.github.itsvc.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site lock between real processes: a second JVM holds it, as a second {@code mvn itsvc:provision} would. */
class SiteLockTest {

    @TempDir
    Path dir;

    /** Holds a site's lock until its stdin closes (or it is killed). */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (SiteLock lock = SiteLock.acquire(Path.of(args[0]), "live", "mvn itsvc:provision")) {
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    private Process holder(Path siteDir) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), siteDir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    @Test
    void aSecondRunIsRefusedNamingTheHolderUntilTheHolderIsKilled() throws Exception {
        Path siteDir = dir.resolve(".itsvc/live");
        Process first = holder(siteDir);
        try {
            assertThatThrownBy(() -> SiteLock.acquire(siteDir, "live", "mvn itsvc:destroy"))
                    .isInstanceOf(TargetException.class)
                    .hasMessageContaining("site live is being changed by another run: mvn itsvc:provision by process "
                            + first.pid() + " of user " + System.getProperty("user.name"))
                    .hasMessageContaining(SiteLock.file(siteDir).toString()).hasMessageContaining("fix: wait");
        } finally {
            first.destroyForcibly(); // kill -9: the lock goes with the process
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (SiteLock second = SiteLock.acquire(siteDir, "live", "mvn itsvc:provision")) {
            assertThat(SiteLock.file(siteDir)).content().contains("process " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aRunInTheSameJvmIsRefusedAndTheLockIsFreeAgainOnceClosed() throws Exception {
        Path siteDir = dir.resolve(".itsvc/live");
        try (SiteLock first = SiteLock.acquire(siteDir, "live", "mvn itsvc:provision")) {
            assertThatThrownBy(() -> SiteLock.acquire(siteDir, "live", "mvn itsvc:provision"))
                    .isInstanceOf(TargetException.class).hasMessageContaining("is being changed by another run");
        }
        SiteLock.acquire(siteDir, "live", "mvn itsvc:provision").close();
        // Another site is another lock.
        try (SiteLock live = SiteLock.acquire(siteDir, "live", "x");
                SiteLock beta = SiteLock.acquire(dir.resolve(".itsvc/beta"), "beta", "x")) {
            assertThat(SiteLock.file(dir.resolve(".itsvc/beta"))).exists();
        }
    }
}
