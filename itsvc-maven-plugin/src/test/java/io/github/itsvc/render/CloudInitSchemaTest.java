package io.github.itsvc.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.model.Site;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every rendered user-data passes the real validator, {@code cloud-init schema --config-file} from Debian's cloud-init
 * package (22.4 on Debian 12). Without the command these tests fail, never skip: CI installs the package. Note that
 * 22.4 accepts unknown top-level keys; it checks the types and the keys of the modules it knows.
 */
class CloudInitSchemaTest {

    /** The validator, from Debian's cloud-init package. */
    static final String CLOUD_INIT = "cloud-init";

    record Result(int exit, String output) {}

    static Site[] sites() {
        return new Site[] {Fixtures.dev(), Fixtures.live()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sites")
    void everyRenderedUserDataIsValid(Site site, @TempDir Path out) throws Exception {
        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), site, out);
        List<String> userData = r.files().stream().filter(f -> f.endsWith("/cloud-init/user-data")).toList();
        assertThat(userData).hasSize(4); // web-1, web-2, proxy-1, spare-1

        for (String file : userData) {
            Result result = schema(CLOUD_INIT, r.siteDir().resolve(file));
            assertThat(result.exit()).as("cloud-init schema on %s:%n%s", file, result.output()).isZero();
            assertThat(result.output()).as(file).contains("Valid cloud-config").doesNotContainIgnoringCase("deprecat");
        }
    }

    /** The validator reads YAML; this checks that what it reads is what the renderer meant. */
    @Test
    void userDataCarriesTheRenderedFilesAndTheUnit(@TempDir Path out) throws Exception {
        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.live(), out);
        Path instance = r.siteDir().resolve("web/web-1");

        Map<?, ?> config = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(instance.resolve("cloud-init/user-data")));

        List<?> writeFiles = (List<?>) config.get("write_files");
        Map<?, ?> serverXml = (Map<?, ?>) writeFiles.get(0);
        assertThat(serverXml.get("path")).isEqualTo("/srv/itsvc/team-wiki/web-1/opt/tomcat/conf/server.xml");
        assertThat(serverXml.get("encoding")).isEqualTo("b64");
        assertThat(Base64.getDecoder().decode((String) serverXml.get("content")))
                .isEqualTo(Files.readAllBytes(instance.resolve("root/opt/tomcat/conf/server.xml")));
        Map<?, ?> unit = (Map<?, ?>) writeFiles.get(writeFiles.size() - 1);
        assertThat(unit.get("path")).isEqualTo("/etc/systemd/system/itsvc-team-wiki-web.service");
        assertThat((String) unit.get("content")).startsWith("[Unit]\n").endsWith("WantedBy=multi-user.target\n")
                .contains("\n\n[Service]\n", "\nExecStart=/srv/itsvc/team-wiki/web-1/opt/tomcat/bin/catalina.sh run\n");
        assertThat(config.get("runcmd").toString()).contains("[systemctl, enable, --now, itsvc-team-wiki-web.service]");
        assertThat(((List<?>) config.get("users")).get(2).toString()).contains("name=alice", "NOPASSWD:ALL");
    }

    /** The validator really validates: the check above could fail. */
    @Test
    void brokenUserDataFailsTheValidator(@TempDir Path out) throws Exception {
        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.live(), out);
        String good = Files.readString(r.siteDir().resolve("web/web-1/cloud-init/user-data"));
        assertThat(good).contains("permissions: \"0644\"");

        Path wrongType = Files.writeString(out.resolve("wrong-type"), good.replace("permissions: \"0644\"",
                "permissions: 420"));
        Result result = schema(CLOUD_INIT, wrongType);
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("write_files.0.permissions", "not of type 'string'");

        Path noHeader = Files.writeString(out.resolve("no-header"), good.replace("#cloud-config\n", ""));
        result = schema(CLOUD_INIT, noHeader);
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("#cloud-config");
    }

    @Test
    void aMissingValidatorFailsWithAnInstallHint(@TempDir Path out) throws IOException {
        Path any = Files.writeString(out.resolve("user-data"), "#cloud-config\n");

        assertThatThrownBy(() -> schema("itsvc-no-such-cloud-init", any)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("install Debian's cloud-init package");
    }

    /** Runs {@code <command> schema --config-file <file>}; a missing command fails the test with what to install. */
    static Result schema(String command, Path userData) throws InterruptedException, IOException {
        Process process;
        try {
            process = new ProcessBuilder(command, "schema", "--config-file", userData.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("'" + command + "' cannot run (" + e.getMessage() + "): install Debian's"
                    + " cloud-init package (sudo apt-get install -y cloud-init). These tests validate the rendered"
                    + " user-data with the real validator and never skip.", e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " schema timed out on " + userData);
        }
        return new Result(process.exitValue(), output);
    }
}
