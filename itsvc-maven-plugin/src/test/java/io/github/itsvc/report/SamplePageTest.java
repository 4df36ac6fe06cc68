package io.github.itsvc.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.target.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sample status page that README links and {@code mvn site} publishes ({@code src/site/resources/sample/}), as a
 * golden file: the fixture service after a provision and a test-deployment with one failed check, at fixed times.
 * Review a change of it like code; regenerate with
 * {@code ./mvnw -pl itsvc-maven-plugin test -Dtest=SamplePageTest -Ditsvc.updateGolden=true}.
 */
class SamplePageTest {

    static final Path SAMPLE = Path.of(System.getProperty("basedir", "."))
            .resolve("src/site/resources/sample/status.html");

    @Test
    void theSampleIsWhatTheTemplatesMakeNow() throws IOException {
        String d1 = "9f2c41d07be35a1e".repeat(4);
        String d2 = "04aa7c3e91b26f58".repeat(4);
        List<Instance> instances = List.of(ReportFixtures.running("store", 1, 0, d1),
                ReportFixtures.running("web", 1, 40001, d1), ReportFixtures.running("web", 2, 40002, d2),
                ReportFixtures.running("proxy", 1, 40003, d1));
        Map<String, String> provisioned = Map.of("store-1", d1, "web-1", d1, "web-2", d1, "proxy-1", d1);
        StatusRecord record = StatusRecord.empty()
                .with(new Observation("provision", ReportFixtures.T0, instances, Map.of(), provisioned, List.of()))
                .with(Observation.tested(instances, List.of(ReportFixtures.passed("web", "web-2", 840),
                        ReportFixtures.failed("web", "web-1", 20_040, "no"))));
        record = new StatusRecord(ReportFixtures.T0.plusSeconds(95), record.by(), record.instances(),
                record.provisionedAt(), record.provisioned(), Map.of("tool", "ABCDEF0123456789ABCDEF0123456789ABCDEF01"),
                record.channels(), record.syncs());
        Dashboard.Checks checks = new Dashboard.Checks("2026-01-02 07:01:30", "target/itsvc-reports/TEST-itsvc-dev.xml",
                5, 3, 1, 1, "24.31s", false, List.of(
                        new Dashboard.CheckRow("passed", "store-1", "store", "command test -s etc/store.conf",
                                "0.02s", ""),
                        new Dashboard.CheckRow("failed", "web-1", "web", "http :http/ expects 200 contains \"Welcome\"",
                                "20.04s", "the body does not contain \"Welcome\""),
                        new Dashboard.CheckRow("passed", "web-2", "web", "http :http/ expects 200 contains \"Welcome\"",
                                "0.84s", ""),
                        new Dashboard.CheckRow("passed", "proxy-1", "proxy", "tcp :http", "3.41s", ""),
                        new Dashboard.CheckRow("skipped", "proxy-1", "proxy", "http :http/ expects 200",
                                "0.00s", "web failed its checks")));
        Dashboard built = new DashboardBuilder(new TemplateOrigins(Path.of("/nonexistent"), Path.of("/nonexistent"),
                SamplePageTest.class.getClassLoader())).build(ReportFixtures.teamWiki(), ReportFixtures.dev(), null,
                record, checks, "mvn itsvc:test-deployment", ReportFixtures.T0.plusSeconds(96));
        // Template rows by hand: the template jar's version must not change the sample.
        Dashboard sample = new Dashboard(built.service(), built.site(), built.target(), built.cloud(),
                built.generated(), built.generatedBy(), built.roles(), built.diagram(), built.values(),
                built.binaries(), List.of(
                        new Dashboard.TemplateRow("/itsvc/nginx/reverse-proxy.conf.ftl", "jar",
                                "io.github.itsvc:itsvc-templates:1.0.0", List.of("proxy")),
                        new Dashboard.TemplateRow("/itsvc/tomcat/server.xml.ftl", "jar",
                                "io.github.itsvc:itsvc-templates:1.0.0", List.of("web")),
                        new Dashboard.TemplateRow("index.html.ftl", "own", "src/main/itsvc/templates/index.html.ftl",
                                List.of("web")),
                        new Dashboard.TemplateRow("/itsvc/cloud-init/user-data.ftl", "jar",
                                "io.github.itsvc:itsvc-templates:1.0.0", List.of("proxy", "web", "store"))),
                built.checks(), built.instances(), built.channels(), built.syncs());
        String html = new DashboardRenderer().page(sample);

        if (Boolean.getBoolean("itsvc.updateGolden")) {
            Files.createDirectories(SAMPLE.getParent());
            Files.writeString(SAMPLE, html, StandardCharsets.UTF_8);
        }
        assertThat(SAMPLE).as("the sample differs from what the templates make; if intended, rerun with"
                + " -Ditsvc.updateGolden=true").usingCharset(StandardCharsets.UTF_8).hasContent(html);
        assertThat(html).doesNotContain("hunter2");
    }
}
