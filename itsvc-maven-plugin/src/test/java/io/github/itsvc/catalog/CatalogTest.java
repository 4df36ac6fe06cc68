package io.github.itsvc.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private static final URL WHERE = CatalogTest.class.getResource("CatalogTest.class");

    @Test
    void theTemplateJarsCatalogStartsWithTheArchetypesOwnLandingPage() throws IOException {
        Catalog catalog = Catalog.load(getClass().getClassLoader());

        assertThat(catalog.defaultEntry().name()).isEqualTo("landing-page");
        assertThat(catalog.defaultEntry().project()).isNull();
        assertThat(catalog.entries()).extracting(Catalog.Entry::name).contains("message-broker");
        assertThat(catalog.projectFiles(catalog.entry("message-broker").orElseThrow()))
                .containsKey("src/main/itsvc/service.yaml").containsKey("itsvc.lock");
        assertThat(catalog.projectFiles(catalog.defaultEntry())).isEmpty();
    }

    @Test
    void linesAreOneAnEntryAlignedWithTheDefaultMarked() throws IOException {
        Properties p = new Properties();
        p.setProperty("entries", "web, message-broker");
        p.setProperty("web.summary", "A web page");
        p.setProperty("message-broker.summary", "A broker");
        p.setProperty("message-broker.project", "itsvc/catalog/message-broker/project");

        Catalog catalog = Catalog.parse(p, WHERE);

        assertThat(catalog.lines()).containsExactly(
                "web             A web page (default)",
                "message-broker  A broker");
        assertThat(catalog.entry("message-broker").orElseThrow().project())
                .isEqualTo("itsvc/catalog/message-broker/project");
        assertThat(catalog.entry("wiki")).isEmpty();
    }

    @Test
    void anEntryWithoutSummaryOrNoEntriesIsAnError() {
        Properties p = new Properties();
        assertThatThrownBy(() -> Catalog.parse(p, WHERE)).hasMessageContaining("no entries=");
        p.setProperty("entries", "web");
        assertThatThrownBy(() -> Catalog.parse(p, WHERE)).hasMessageContaining("entry web has no web.summary");
    }

    @Test
    void noIndexOnTheClassPathSaysWhatIsMissing() {
        ClassLoader empty = new ClassLoader(null) {};
        assertThatThrownBy(() -> Catalog.load(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining("itsvc-templates is missing");
    }
}
