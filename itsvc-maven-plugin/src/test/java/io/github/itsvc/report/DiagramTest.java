package io.github.itsvc.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class DiagramTest {

    @Test
    void layersFollowTheLongestChainOfDependencies() {
        assertThat(Diagram.layers(ReportFixtures.teamWiki())).containsExactlyInAnyOrderEntriesOf(
                Map.of("store", 0, "web", 1, "proxy", 2));
    }

    @Test
    void dependentsAreLeftOfWhatTheyDependOnSoEveryArrowPointsRight() {
        Diagram.Layout layout = new Diagram(ReportFixtures.teamWiki(), Map.of()).layout();
        Diagram.Box proxy = layout.boxes().get("proxy");
        Diagram.Box web = layout.boxes().get("web");
        Diagram.Box store = layout.boxes().get("store");
        assertThat(proxy.x()).isEqualTo(Diagram.MARGIN);
        assertThat(web.x()).isEqualTo(proxy.x() + proxy.width() + Diagram.GAP_X);
        assertThat(store.x()).isEqualTo(web.x() + web.width() + Diagram.GAP_X);
        for (Diagram.Edge edge : layout.edges()) {
            assertThat(layout.boxes().get(edge.from()).x()).isLessThan(layout.boxes().get(edge.to()).x());
        }
        assertThat(layout.edges()).containsExactly(new Diagram.Edge("proxy", "web"), new Diagram.Edge("web",
                "store"));
        assertThat(layout.width()).isEqualTo(store.x() + store.width() + Diagram.MARGIN);
        assertThat(layout.height()).isEqualTo(2 * Diagram.MARGIN + Diagram.BOX_HEIGHT);
    }

    @Test
    void rolesOfOneLayerStackInFileOrderAndShorterColumnsAreCentred() {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("db", ReportFixtures.role("db", 1, Map.of(), List.of(), List.of()));
        roles.put("cache", ReportFixtures.role("cache", 1, Map.of(), List.of(), List.of()));
        roles.put("app", ReportFixtures.role("app", 1, Map.of(), List.of("db", "cache"), List.of()));
        Service service = new Service("s", Map.of(), roles, ReportFixtures.at(1));

        Diagram.Layout layout = new Diagram(service, Map.of()).layout();

        Diagram.Box db = layout.boxes().get("db");
        Diagram.Box cache = layout.boxes().get("cache");
        Diagram.Box app = layout.boxes().get("app");
        assertThat(db.x()).isEqualTo(cache.x()).isGreaterThan(app.x());
        assertThat(cache.y()).isEqualTo(db.y() + Diagram.BOX_HEIGHT + Diagram.GAP_Y);
        assertThat(app.y() + app.height() / 2).isEqualTo((db.y() + cache.y() + cache.height()) / 2);
        // No two boxes overlap.
        assertThat(db.y() + db.height()).isLessThan(cache.y());
    }

    @Test
    void boxesAreWideEnoughForTheLongestLabel() {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("a-role-with-a-rather-long-name", ReportFixtures.role("a-role-with-a-rather-long-name", 1,
                Map.of(), List.of(), List.of()));
        Diagram.Box box = new Diagram(new Service("s", Map.of(), roles, ReportFixtures.at(1)), Map.of()).layout()
                .boxes().values().iterator().next();
        assertThat(box.width()).isGreaterThanOrEqualTo((int) ("a-role-with-a-rather-long-name".length()
                * Diagram.CHAR_WIDTH));
    }

    @Test
    void svgIsWellFormedSelfContainedAndSaysInWordsWhatColourShows() throws Exception {
        String svg = new Diagram(ReportFixtures.teamWiki(), Map.of("web", new Diagram.RoleStatus("failed",
                "1 check failed"), "store", new Diagram.RoleStatus("ok", "healthy"))).svg();

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("g").getLength()).isEqualTo(3);
        assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(3); // two edges and the arrow head
        assertThat(svg).contains("role=\"img\"", "<title id=\"itsvc-diagram-title\">Roles of team-wiki",
                "proxy depends on web; web depends on store; store depends on no other role.",
                "\u2718 1 check failed", "\u2714 healthy", "2 instances \u00b7 http 8080");
        assertThat(svg).doesNotContain("<script", "href=\"http", "@import", "font-face");
    }

    @Test
    void namesAreEscaped() {
        assertThat(Diagram.escape("a<b>&\"c")).isEqualTo("a&lt;b&gt;&amp;&quot;c");
    }
}
