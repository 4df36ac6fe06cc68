package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLayoutTest {

    @TempDir
    Path site;

    @Test
    void listsInstanceDirectoriesByRoleThenNumber() throws IOException {
        for (String name : new String[] {"web-10", "web-2", "db-1", "web-1", ".tmp", "notes", "web-x"}) {
            Files.createDirectories(site.resolve(name));
        }
        Files.writeString(site.resolve("web-3"), "a file, not an instance");
        assertThat(InstanceLayout.instanceDirs(site)).containsExactly(site.resolve("db-1"), site.resolve("web-1"),
                site.resolve("web-2"), site.resolve("web-10"));
    }

    @Test
    void aMissingSiteHasNoInstances() throws IOException {
        assertThat(InstanceLayout.instanceDirs(site.resolve("nope"))).isEmpty();
    }

    @Test
    void namesAndPaths() {
        Path dir = InstanceLayout.instanceDir(site, "message-broker", 3);
        assertThat(dir).isEqualTo(site.resolve("message-broker-3"));
        assertThat(InstanceLayout.role(dir)).isEqualTo("message-broker");
        assertThat(InstanceLayout.index(dir)).isEqualTo(3);
        assertThat(InstanceLayout.root(dir)).isEqualTo(dir.resolve("root"));
        assertThat(InstanceLayout.stdoutLog(dir)).isEqualTo(dir.resolve("logs/stdout.log"));
        assertThat(InstanceLayout.stderrLog(dir)).isEqualTo(dir.resolve("logs/stderr.log"));
        assertThat(InstanceLayout.stateFile(dir)).isEqualTo(dir.resolve("state.properties"));
        assertThatThrownBy(() -> InstanceLayout.instanceDir(site, "../evil", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceLayout.role(site.resolve("web")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
