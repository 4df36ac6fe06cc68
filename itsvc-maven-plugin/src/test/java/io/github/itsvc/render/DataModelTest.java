package io.github.itsvc.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variables templates see, planned and provisioned. */
class DataModelTest {

    @Test
    void plannedPlacementIsLoopbackLocallyAndAnUnresolvableNameOnClouds() {
        DataModel dev = new DataModel(Fixtures.teamWiki(), Fixtures.dev(),
                DataModel.planned(Fixtures.teamWiki(), Fixtures.dev()));
        DataModel live = new DataModel(Fixtures.teamWiki(), Fixtures.live(),
                DataModel.planned(Fixtures.teamWiki(), Fixtures.live()));

        assertThat(instance(dev, "web", 2)).containsEntry("index", 2).containsEntry("name", "web-2")
                .containsEntry("role", "web").containsEntry("address", "127.0.0.1")
                .containsEntry("ports", Map.of("http", 8080)).containsEntry("root", "/srv/itsvc/team-wiki/web-2")
                .containsEntry("planned", true);
        assertThat(instance(live, "web", 2)).containsEntry("address", "web-2.live.team-wiki.itsvc.invalid");
    }

    @Test
    void variablesAreThoseDocumented() {
        Map<String, Object> vars = new DataModel(Fixtures.teamWiki(), Fixtures.live(),
                DataModel.planned(Fixtures.teamWiki(), Fixtures.live())).forInstance("web", 1);

        assertThat(vars).containsOnlyKeys("service", "site", "values", "role", "instance", "instances", "binaries");
        assertThat(vars.get("values")).isSameAs(m(vars.get("site")).get("values"));
        Map<String, Object> role = m(vars.get("role"));
        assertThat(role.keySet()).containsExactly("name", "count", "image", "flavor", "ports", "dependsOn", "run",
                "install", "files", "checks");
        // Unset fields are null, which templates see as missing: role.image.binary!"" or role.image.binary??.
        assertThat(m(role.get("image"))).containsEntry("name", "debian-12").containsEntry("binary", null);
        Map<String, Object> check = m(l(role.get("checks")).get(0));
        assertThat(check).containsEntry("kind", "http").containsEntry("port", "http")
                .containsEntry("within", "PT2M").containsEntry("withinSeconds", 120L).containsEntry("timeoutSeconds", 5L);
        Map<String, Object> tomcat = m(m(vars.get("binaries")).get("tomcat"));
        assertThat(tomcat).containsEntry("source", "maven:org.apache.tomcat:tomcat:tar.gz:11.0.24")
                .containsEntry("kind", "maven").containsEntry("hashes", Map.of("sha512", "ab".repeat(64)))
                .containsEntry("fileName", "tomcat-11.0.24.tar.gz").containsEntry("checksums", null);
        assertThat(m(vars.get("instances")).keySet()).containsExactly("web", "proxy", "spare");
        assertThat(l(m(vars.get("instances")).get("web"))).hasSize(2);
    }

    /** Provisioning feeds real addresses and ports through the same renderer: the proxy sees them. */
    @Test
    void provisionedPlacementsReachTheTemplates(@TempDir Path out) throws Exception {
        DataModel.Placements real = (role, index) -> new DataModel.Placement("10.0.0." + (10 * index),
                Map.of("http", 40000 + index), "/home/op/wiki/" + role.name() + "-" + index, false);

        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.live(), out, real);

        assertThat(Files.readString(r.siteDir().resolve("proxy/proxy-1/root/etc/nginx/conf.d/team-wiki.conf")))
                .contains("server 10.0.0.10:40001;\n    server 10.0.0.20:40002;", "listen 40001;");
        assertThat(Files.readString(r.siteDir().resolve("web/web-2/cloud-init/user-data")))
                .contains("path: \"/home/op/wiki/web-2/opt/tomcat/conf/server.xml\"");
    }

    private static Map<String, Object> instance(DataModel model, String role, int index) {
        return m(model.forInstance(role, index).get("instance"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> m(Object map) {
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> l(Object list) {
        return (List<Object>) list;
    }
}
