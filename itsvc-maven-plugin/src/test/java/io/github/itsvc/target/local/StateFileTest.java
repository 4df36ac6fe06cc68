package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    private static final Instant T = Instant.parse("2025-06-01T10:00:00.123Z");

    @TempDir
    Path dir;

    private static InstanceState running() {
        return new InstanceState("opt/tomcat/bin/catalina.sh run", Map.of("https", 8443, "http", 8080),
                "sha256:0123", "setsid", 4242, new StartMarker(T, "boot-id/98765"), T.plusMillis(5), null, null);
    }

    @Test
    void writesSortedKeysWithoutADateSoEqualStatesGiveEqualBytes() {
        assertThat(StateFile.format(running())).isEqualTo("""
                # itsvc local instance state (written by itsvc; do not edit)
                command=opt/tomcat/bin/catalina.sh run
                config.digest=sha256\\:0123
                format=1
                launcher=setsid
                pid=4242
                port.http=8080
                port.https=8443
                since=2025-06-01T10\\:00\\:00.128Z
                start.instant=2025-06-01T10\\:00\\:00.123Z
                start.linux=boot-id/98765
                """);
    }

    @Test
    void aStoppedStateKeepsTheDefinitionAndDropsTheProcess() throws IOException {
        InstanceState stopped = running().stoppedAt(T.plusSeconds(60));
        String text = StateFile.format(stopped);
        assertThat(text).doesNotContain("pid=", "start.", "since=").contains("stopped=", "port.http=8080");
        assertThat(StateFile.parse(text)).isEqualTo(stopped);
    }

    @Test
    void roundTripsAwkwardCharactersThroughFileAndStandardProperties() throws IOException {
        String awkward = " leading space, = : # ! \\ back\\slash, tab\t, newline\n, üñíçødé, \u0001";
        InstanceState s = new InstanceState(awkward, Map.of("a-b", 1), "digest=" + awkward, "nohup", 0,
                new StartMarker(T, null), null, T, null);
        Path file = dir.resolve("state.properties");
        StateFile.write(file, s);

        assertThat(StateFile.read(file)).contains(s);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        Properties plain = new Properties();
        plain.load(new StringReader(Files.readString(file)));
        assertThat(plain.getProperty("command")).isEqualTo(awkward);
        assertThat(dir.resolve("state.properties.tmp")).doesNotExist();
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("state.properties");
        StateFile.write(file, running());
        StateFile.write(file, running().stoppedAt(T));
        assertThat(StateFile.read(file).orElseThrow().hasPid()).isFalse();
    }

    @Test
    void aMissingFileIsNoState() throws IOException {
        assertThat(StateFile.read(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void rejectsAnotherFormatAndBrokenValuesNamingTheFile() {
        assertThatThrownBy(() -> StateFile.parse("format=2\ncommand=x\nconfig.digest=d\nlauncher=setsid\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("format 2");
        assertThatThrownBy(() -> StateFile.parse("format=1\ncommand=x\nconfig.digest=d\nlauncher=s\npid=12x\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("pid");
        assertThatThrownBy(() -> StateFile.parse("format=1\ncommand=x\nconfig.digest=d\nlauncher=s\nsince=now\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("since");
        assertThatThrownBy(() -> StateFile.parse("format=1\nconfig.digest=d\nlauncher=s\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("no command");
        assertThatThrownBy(() -> StateFile.parse("format=1\ncommand=x\nconfig.digest=d\nlauncher=s\npid=-3\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("pid -3");
    }

    @Test
    void onlySetsidAndPerlOwnAProcessGroup() {
        InstanceState s = running();
        assertThat(s.ownsProcessGroup()).isTrue();
        assertThat(new InstanceState("x", Map.of(), "d", "perl", 0, null, null, null, null).ownsProcessGroup())
                .isTrue();
        assertThat(new InstanceState("x", Map.of(), "d", "nohup", 0, null, null, null, null).ownsProcessGroup())
                .isFalse();
        assertThat(new InstanceState("x", Map.of(), "d", "future", 0, null, null, null, null).ownsProcessGroup())
                .as("unknown launchers are not trusted with group signals").isFalse();
    }
}
