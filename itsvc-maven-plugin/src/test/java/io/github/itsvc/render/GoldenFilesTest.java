package io.github.itsvc.render;

import io.github.itsvc.io.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.model.Site;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * Renders the fixture service for each site and compares the whole output tree, file by file, with the reviewed
 * golden files in {@code src/test/resources/render/golden/<site>/}: every shared template (Tomcat, nginx, systemd,
 * cloud-init) and the layout. After an intended change, regenerate and review the diff:
 * {@code ./mvnw -pl itsvc-maven-plugin -am test -Dtest=GoldenFilesTest -Ditsvc.updateGolden=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GoldenFilesTest {

    static final boolean UPDATE = Boolean.getBoolean("itsvc.updateGolden");

    static Site[] sites() {
        return new Site[] {Fixtures.dev(), Fixtures.live()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sites")
    void renderingMatchesGoldenFiles(Site site, @TempDir Path out) throws Exception {
        Rendering rendering = Fixtures.renderer().render(Fixtures.teamWiki(), site, out);
        Map<String, byte[]> actual = Fixtures.tree(rendering.siteDir());
        Path golden = Fixtures.moduleDir().resolve("src/test/resources/render/golden").resolve(site.name());

        if (UPDATE) {
            FileTrees.delete(golden);
            for (Map.Entry<String, byte[]> e : actual.entrySet()) {
                Files.createDirectories(golden.resolve(e.getKey()).getParent());
                Files.write(golden.resolve(e.getKey()), e.getValue());
            }
            System.out.println("[golden] rewrote " + golden + ": review the diff before committing");
        }

        Map<String, byte[]> expected = Fixtures.tree(golden);
        assertThat(actual.keySet()).as("files rendered for %s (golden: %s)", site.name(), golden)
                .containsExactlyElementsOf(expected.keySet());
        for (String file : new TreeSet<>(expected.keySet())) {
            assertThat(new String(actual.get(file), StandardCharsets.UTF_8))
                    .as("%s differs from its golden file; if intended, rerun with -Ditsvc.updateGolden=true", file)
                    .isEqualTo(new String(expected.get(file), StandardCharsets.UTF_8));
        }
        assertThat(rendering.files()).containsExactlyElementsOf(expected.keySet());
    }

    /** Golden files can be wrong too: Tomcat must be able to parse its server.xml. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sites")
    void tomcatServerXmlIsWellFormed(Site site, @TempDir Path out) throws Exception {
        Rendering rendering = Fixtures.renderer().render(Fixtures.teamWiki(), site, out);
        byte[] xml = Files.readAllBytes(rendering.siteDir().resolve("web/web-1/root/opt/tomcat/conf/server.xml"));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));

        assertThat(doc.getDocumentElement().getAttribute("port")).as("shutdown port disabled").isEqualTo("-1");
        var connectors = doc.getElementsByTagName("Connector");
        assertThat(connectors.getLength()).as("one connector, no AJP").isEqualTo(1);
        var connector = (org.w3c.dom.Element) connectors.item(0);
        assertThat(connector.getAttribute("port")).isEqualTo("8080");
        assertThat(connector.getAttribute("protocol")).isEqualTo("HTTP/1.1");
        assertThat(connector.getAttribute("address")).isEqualTo("local".equals(site.target()) ? "127.0.0.1" : "");
        assertThat(doc.getElementsByTagName("Valve").item(0).getAttributes().getNamedItem("className")
                .getNodeValue()).isEqualTo("org.apache.catalina.valves.AccessLogValve");
    }
}
