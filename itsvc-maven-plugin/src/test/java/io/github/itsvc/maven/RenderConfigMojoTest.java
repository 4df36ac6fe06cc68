package io.github.itsvc.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validate and render-config goals as Maven configures them, on a small service project. */
@MojoTest
class RenderConfigMojoTest {

    private static final String PROJECT = "src/test/resources/projects/render";

    @TempDir
    Path out;

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "render-config", pom = "pom.xml")
    void rendersTheDevSiteByDefault(RenderConfigMojo mojo) throws Exception {
        configure(mojo, null);
        mojo.execute();

        Path instance = out.resolve("dev/web/web-1");
        assertThat(instance.resolve("root/etc/hello.txt")).hasContent("Hello from hello web-1 on port 8080");
        assertThat(instance.resolve("root/opt/tomcat/conf/server.xml")).content().contains("port=\"8080\"");
        assertThat(instance.resolve("cloud-init/user-data")).content().startsWith("#cloud-config");
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "render-config", pom = "pom.xml")
    void rendersTheChosenSite(RenderConfigMojo mojo) throws Exception {
        configure(mojo, "live");
        mojo.execute();

        assertThat(out.resolve("live/web/web-1/root/etc/hello.txt")).content().startsWith("Bonjour");
        assertThat(out.resolve("dev")).doesNotExist();
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "render-config", pom = "pom.xml")
    void aMissingSiteFailsTheBuildWithTheSitesThatExist(RenderConfigMojo mojo) throws Exception {
        configure(mojo, "beta");

        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasNoCause() // Maven prints no stack trace for it
                .hasMessageContaining("src/main/itsvc/sites")
                .hasMessageContaining("'beta'")
                .hasMessageContaining("'dev', 'live'");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "validate", pom = "pom.xml")
    void validateWritesTheSchemasForIdes(ValidateMojo mojo) throws Exception {
        configure(mojo, "dev");
        mojo.execute();

        assertThat(out.resolve("schema/service.schema.json")).content().contains("\"$schema\"");
        assertThat(out.resolve("schema/site.schema.json")).exists();
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "render-config", pom = "pom.xml")
    void skipDoesNothing(RenderConfigMojo mojo) throws Exception {
        configure(mojo, "nope");
        MojoExtension.setVariableValueToObject(mojo, "skip", true);
        mojo.execute();

        assertThat(out).isEmptyDirectory();
    }

    /** The harness does not evaluate ${project.basedir}: point the goal at the fixture and a temp output. */
    private void configure(Mojo mojo, String site) throws Exception {
        Path basedir = Path.of(MojoExtension.getBasedir()).toAbsolutePath();
        MojoExtension.setVariableValueToObject(mojo, "basedir", basedir.toFile());
        MojoExtension.setVariableValueToObject(mojo, "definitionDirectory",
                basedir.resolve("src/main/itsvc").toFile());
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", out.toFile());
        if (site != null) {
            MojoExtension.setVariableValueToObject(mojo, "site", site);
        }
    }
}
