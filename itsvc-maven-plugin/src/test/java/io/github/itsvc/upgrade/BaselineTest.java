package io.github.itsvc.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatTheArchetypeRecordsAndLetsTheNewVersionChooseTheDefaultedPins() throws Exception {
        Files.writeString(dir.resolve(Baseline.FILE), """
                # How this project was generated
                archetype=io.github.itsvc:itsvc-archetype:0.1.0
                template=landing-page
                groupId=com.example
                artifactId=team-wiki
                junitVersion=5.14.1
                itsvcVersion=0.1.0
                # pins at the defaults
                defaults=junitVersion,itsvcVersion
                """);
        Baseline baseline = Baseline.read(dir);
        assertThat(baseline.archetype()).isEqualTo(new Baseline.Archetype("io.github.itsvc", "itsvc-archetype", "0.1.0"));
        assertThat(baseline.generationProperties()).containsExactly(
                java.util.Map.entry("template", "landing-page"), java.util.Map.entry("groupId", "com.example"),
                java.util.Map.entry("artifactId", "team-wiki"), java.util.Map.entry("junitVersion", "5.14.1"),
                java.util.Map.entry("itsvcVersion", "0.1.0"));
        assertThat(baseline.upgradeProperties()).containsOnlyKeys("template", "groupId", "artifactId");
    }

    @Test
    void aPinGivenAtGenerationStaysOnUpgrade() throws Exception {
        Files.writeString(dir.resolve(Baseline.FILE), "archetype=g:a:1\nartifactId=x\nitsvcVersion=0.0.9\ndefaults=\n");
        assertThat(Baseline.read(dir).upgradeProperties()).containsEntry("itsvcVersion", "0.0.9");
    }

    @Test
    void aMissingBaselineSaysWhyAndHowToFix() {
        assertThatThrownBy(() -> Baseline.read(dir)).isInstanceOf(UpgradeException.class)
                .hasMessageContaining("itsvc.baseline is missing").hasMessageContaining("fix: ");
    }

    @Test
    void aBrokenLineIsReportedWithItsNumber() throws Exception {
        Files.writeString(dir.resolve(Baseline.FILE), "# comment\narchetype=g:a\nartifactId=x\n");
        assertThatThrownBy(() -> Baseline.read(dir)).isInstanceOf(UpgradeException.class)
                .hasMessageContaining("itsvc.baseline:2: archetype 'g:a' is not groupId:artifactId:version")
                .hasMessageContaining("fix: ");
    }
}
