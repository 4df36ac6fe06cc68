package io.github.itsvc.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class BundleMojoTest {

    @Provides
    MavenProject project() {
        Model model = new Model();
        model.setGroupId("it.itsvc");
        model.setArtifactId("bundle");
        model.setVersion("1.0.0");
        MavenProject project = new MavenProject(model);
        project.setArtifact(new DefaultArtifact("it.itsvc", "bundle", "1.0.0", null, "itsvc", null,
                new ItsvcArtifactHandlerProvider().get()));
        return project;
    }

    @Test
    @Basedir("src/test/resources/projects/bundle")
    @InjectMojo(goal = "bundle", pom = "pom.xml")
    void zipsTheRenderedSiteAsTheProjectArtifact(BundleMojo mojo, @TempDir Path build) throws Exception {
        Path basedir = Path.of(MojoExtension.getBasedir());
        MojoExtension.setVariableValueToObject(mojo, "basedir", basedir.toFile());
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", basedir.resolve("rendered").toFile());
        MojoExtension.setVariableValueToObject(mojo, "buildDirectory", build.toFile());
        MojoExtension.setVariableValueToObject(mojo, "finalName", "bundle-1.0.0");

        mojo.execute();

        MavenProject project = MojoExtension.getVariableValueFromObject(mojo, "project");
        File artifact = project.getArtifact().getFile();
        assertThat(artifact).isEqualTo(build.resolve("bundle-1.0.0.zip").toFile());
        try (ZipFile zip = new ZipFile(artifact)) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName()));
            assertThat(names).containsExactly("dev/web/web-1/root/etc/app.conf", "dev/web/web-1/user-data");
            assertThat(zip.getEntry("dev/web/web-1/user-data").getLastModifiedTime().toInstant())
                    .hasToString("2026-01-01T00:00:00Z");
        }

        byte[] first = Files.readAllBytes(artifact.toPath());
        mojo.execute();
        assertThat(Files.readAllBytes(artifact.toPath())).as("reproducible bundle").isEqualTo(first);
    }
}
