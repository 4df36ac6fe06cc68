package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

    @Test
    void rejectsWhatExecWouldSilentlyMangle() {
        assertThatThrownBy(() -> new ProcessSpec("a\nb", Map.of(), Map.of(), "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one line");
        assertThatThrownBy(() -> new ProcessSpec("  ", Map.of(), Map.of(), "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessSpec("x", Map.of(), Map.of("http", 0), "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    }

    @Test
    void theLauncherExecsTheCommandInAShellThatRecordsItsPid() {
        assertThat(Launcher.nohup().command("bin/run --x 'a b'", Path.of("/i/pid"))).containsExactly("/bin/sh", "-c",
                "trap '' HUP INT QUIT TSTP; echo $$ > \"$1\"; shift; exec bin/run --x 'a b'", "itsvc", "/i/pid");
        assertThat(Launcher.setsid(Path.of("/usr/bin/setsid")).command("run", Path.of("/p")))
                .containsExactly("/usr/bin/setsid", "/bin/sh", "-c", "echo $$ > \"$1\"; shift; exec run", "itsvc", "/p");
    }
}
