package io.github.itsvc.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.binaries.Digests;
import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.JUnitReport;
import io.github.itsvc.model.Site;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Plan;
import io.github.itsvc.target.Provisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page as the goals write it, and the report's content from the same record. */
class StatusPagesTest {

    static final String D1 = "1".repeat(64);
    static final String D2 = "2".repeat(64);

    @TempDir
    Path project;

    StatusPages pages;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(project.resolve("src/main/itsvc/templates"));
        Files.writeString(project.resolve("src/main/itsvc/templates/index.html.ftl"), "<h1>${values.title}</h1>");
        pages = new StatusPages(project, project.resolve("src/main/itsvc"), project.resolve("target/itsvc"),
                project.resolve("target/itsvc-reports"), StatusPagesTest.class.getClassLoader());
    }

    private List<Instance> instances(String webDigest) {
        return List.of(ReportFixtures.running("store", 1, 0, D1), ReportFixtures.running("web", 1, 40001, webDigest),
                ReportFixtures.running("web", 2, 40002, D1), ReportFixtures.running("proxy", 1, 40003, D1));
    }

    /** What provision would hand over: every instance set up with digest D1, tool's signature checked. */
    private Observation provisioned() {
        Map<String, String> digests = Map.of("store-1", D1, "web-1", D1, "web-2", D1, "proxy-1", D1);
        VerifiedBinary tool = new VerifiedBinary("tool", "https://publisher.example.org/tool.tar.gz", null,
                new Digests("cd".repeat(32), "ef".repeat(64)), "ABCDEF0123456789ABCDEF0123456789ABCDEF01");
        return new Observation("provision", ReportFixtures.T0, instances(D1), Map.of(), digests, List.of(tool));
    }

    @Test
    void provisionThenTestDeploymentWithAFailedCheck() throws IOException {
        pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, provisioned());
        Path junit = JUnitReport.write(project.resolve("target/itsvc-reports"), "itsvc-dev", List.of(
                ReportFixtures.passed("store", "store-1", 120), ReportFixtures.passed("web", "web-2", 900),
                ReportFixtures.failed("web", "web-1", 20_000, "the body does not contain \"Welcome\""),
                ReportFixtures.passed("proxy", "proxy-1", 80)));
        List<CheckResult> results = List.of(ReportFixtures.failed("web", "web-1", 20_000, "no"),
                ReportFixtures.passed("web", "web-2", 900));
        List<Path> written = pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null,
                Observation.tested(instances(D2), results));

        assertThat(written).containsExactly(project.resolve("target/itsvc/status/index.html"));
        String html = Files.readString(written.get(0));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">",
                "<title>team-wiki on dev: 1 of 4 deployment checks failed");
        // The failed check in words and a mark, not only in red; the passed ones too.
        assertThat(row(html, "web-1</th>")).contains("check-failed", "\u2718", "<strong>FAILED</strong>", "20.00s",
                "the body does not contain &quot;Welcome&quot;");
        assertThat(row(html, "store-1</th><td><code>tcp")).contains("<strong>PASSED</strong>", "\u2714", "0.12s");
        // Drift: web-1 runs D2 where provisioning set up D1.
        assertThat(row(html, "web-1 <span")).contains("failing: 1 of 1 check failed", "runs config 222222222222,"
                + " provisioned 111111111111");
        assertThat(row(html, "web-2 <span")).contains("healthy (1 check passed)", "drift-none");
        assertThat(text(row(html, "web-2 <span"))).contains("\u2714 none");
        assertThat(row(html, "store-1 <span")).contains("not checked by test-deployment");
        // The secret is masked, the other values are shown, escaped.
        assertThat(html).doesNotContain("hunter2").contains("Team &lt;Wiki&gt; (dev)");
        assertThat(row(html, "<code>adminPassword</code>")).contains(Secrets.MASK, "(masked secret)");
        // Signature status comes from provisioning; the pinned hash from service.yaml.
        assertThat(row(html, "<th scope=\"row\">tool</th>")).contains("signature verified, key ABCDEF");
        assertThat(row(html, "<th scope=\"row\">tomcat</th>")).contains("ab".repeat(32),
                "unsigned: the pinned hash protects it");
        // Templates: own, and from a template jar with its coordinates.
        assertThat(row(html, "<code>index.html.ftl</code></th>")).contains("own: <code>src/main/itsvc/templates/"
                + "index.html.ftl</code>");
        assertThat(row(html, "<code>/itsvc/tomcat/server.xml.ftl</code></th>")).contains("template jar <code>"
                + "io.github.itsvc:itsvc-templates:");
        assertThat(row(html, "<code>/itsvc/cloud-init/user-data.ftl</code></th>")).contains("proxy, web, store");
        // The diagram, inline; no script, nothing fetched from elsewhere.
        assertThat(html).contains("<svg", "data-role=\"proxy\"", "data-role=\"web\"", "data-role=\"store\"");
        assertThat(html).doesNotContain("<script", "<link", "src=\"http", "url(http", "@import");
        assertThat(Files.readString(junit)).contains("itsvc.web"); // the report the page read
        // No channels yet: the section is left out.
        assertThat(html).doesNotContain("Channels and sync history");
    }

    @Test
    void headingsGoInOrderAndEveryTableHasHeaders() throws IOException {
        pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, provisioned());
        String html = Files.readString(project.resolve("target/itsvc/status/index.html"));

        Matcher headings = Pattern.compile("<h([1-6])[ >]").matcher(html);
        int previous = 0;
        int h1 = 0;
        while (headings.find()) {
            int level = Integer.parseInt(headings.group(1));
            assertThat(level).as("heading after h%d", previous).isLessThanOrEqualTo(previous + 1);
            h1 += level == 1 ? 1 : 0;
            previous = level;
        }
        assertThat(h1).isEqualTo(1);
        int tables = html.split("<table>", -1).length - 1;
        assertThat(tables).isGreaterThanOrEqualTo(5);
        assertThat(html.split("<caption>", -1).length - 1).isEqualTo(tables);
        assertThat(html.split("<thead>", -1).length - 1).isEqualTo(tables);
        assertThat(html).doesNotContain("<th>"); // every header cell says what it heads (scope)
    }

    @Test
    void statusOfNothingAndTheSitesOwnCopy() throws IOException {
        Site site = new Site("dev", "local", null, false, Map.of(), null, null, null, "www/itsvc/index.html");
        List<Path> written = pages.write(ReportFixtures.teamWiki(), site, null, Observation.status(List.of(),
                Map.of()));

        assertThat(written).containsExactly(project.resolve("target/itsvc/status/index.html"),
                project.resolve("www/itsvc/index.html"));
        assertThat(Files.readString(written.get(1))).isEqualTo(Files.readString(written.get(0)));
        String html = Files.readString(written.get(1));
        // Every wanted instance is missing: drift, in words.
        assertThat(row(html, "web-2</th>")).contains("missing", "missing: the target does not have it", "\u2718");
        assertThat(html).contains("No test-deployment results yet", "The site has no values.");
    }

    @Test
    void checksFromBeforeTheLastProvisioningAreMarkedAsSuch() throws IOException {
        Path junit = JUnitReport.write(project.resolve("target/itsvc-reports"), "itsvc-dev", List.of(
                ReportFixtures.failed("web", "web-1", 1000, "old failure")));
        Files.setLastModifiedTime(junit, FileTime.from(ReportFixtures.T0.minusSeconds(3600)));
        pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, provisioned());

        Dashboard d = pages.dashboard(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, "mvn site");
        assertThat(d.checks().stale()).isTrue();
        assertThat(d.verdict()).isEqualTo("not tested yet");
        assertThat(pages.fragment(d)).contains("the site was provisioned again after these checks ran");
    }

    @Test
    void theReportReadsTheRecordAndTheLockFileAndChangesNothing() throws IOException {
        pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, provisioned());
        Path record = pages.recordFile("dev");
        String before = Files.readString(record);
        Lockfile lock = new Lockfile("itsvc.lock", List.of(new Lockfile.Entry("tool",
                "https://publisher.example.org/tool.tar.gz", new Digests("cd".repeat(32), "ef".repeat(64)), 10)));

        Dashboard d = pages.dashboard(ReportFixtures.teamWiki(), ReportFixtures.dev(), lock, "mvn site");
        String fragment = pages.fragment(d);

        assertThat(Files.readString(record)).isEqualTo(before);
        assertThat(d.generatedBy()).isEqualTo("mvn site");
        assertThat(d.instances().by()).isEqualTo("provision");
        assertThat(d.binaries().get(1).sha256()).isEqualTo("cd".repeat(32));
        assertThat(fragment).startsWith("<#--".isEmpty() ? "" : "<style>").contains("<div class=\"itsvc\">",
                "<h1>team-wiki").doesNotContain("<html", "<body");
    }

    @Test
    void channelsAndSyncsShowWhenThereAreAny() throws IOException {
        Dashboard d = pages.dashboard(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, "mvn site");
        Dashboard withReleases = new Dashboard(d.service(), d.site(), d.target(), d.cloud(), d.generated(),
                d.generatedBy(), d.roles(), d.diagram(), d.values(), d.binaries(), d.templates(), d.checks(),
                d.instances(), List.of(new Dashboard.ChannelRow("beta", "1.4.0", "2026-11-20")),
                List.of(new Dashboard.SyncRow("2026-11-21", "beta", "1.5.0", "rejected", "older than 1.4.0")));
        String html = new DashboardRenderer().page(withReleases);
        assertThat(html).contains("<h2 id=\"itsvc-releases\">Channels and sync history</h2>", "<h3>Channels</h3>",
                "1.4.0", "older than 1.4.0");
        assertThat(text(row(html, "older than 1.4.0"))).contains("\u2718 rejected");
    }

    @Test
    void syncsFeedTheChannelsAndTheHistoryAndOtherGoalsKeepThem() throws IOException {
        Instant t1 = ReportFixtures.T0;
        Instant t2 = t1.plusSeconds(3600);
        Instant t3 = t2.plusSeconds(3600);
        pages.writeSync(ReportFixtures.teamWiki(), ReportFixtures.dev(), null,
                new StatusRecord.Sync(t1, "beta", "1.4.0", "taken", "Deployed: team-wiki 1.4.0 runs on site dev"),
                "1.4.0");
        pages.writeSync(ReportFixtures.teamWiki(), ReportFixtures.dev(), null,
                new StatusRecord.Sync(t2, "beta", "1.4.0", "rolled back", "ROLLED BACK: 1.4.1 did not pass"), "1.4.0");
        // A later provision rewrites the page from the record: the syncs stay.
        pages.write(ReportFixtures.teamWiki(), ReportFixtures.dev(), null, provisioned());
        List<Path> written = pages.writeSync(ReportFixtures.teamWiki(), ReportFixtures.dev(), null,
                new StatusRecord.Sync(t3, "beta", "1.5.0", "taken", "Deployed: team-wiki 1.5.0"), "1.5.0");

        StatusRecord record = StatusRecord.read(pages.recordFile("dev"));
        assertThat(record.channels()).containsEntry("beta", new StatusRecord.Channel("1.5.0", t3));
        assertThat(record.syncs()).extracting(StatusRecord.Sync::outcome).containsExactly("taken", "rolled back",
                "taken");
        assertThat(record.instances()).hasSize(4);
        String html = Files.readString(written.get(0));
        assertThat(html).contains("<h2 id=\"itsvc-releases\">Channels and sync history</h2>");
        assertThat(text(row(html, "<th scope=\"row\">beta</th>"))).contains("1.5.0");
        assertThat(text(row(html, "ROLLED BACK: 1.4.1"))).contains("\u2718 rolled back");
        assertThat(text(row(html, "Deployed: team-wiki 1.5.0"))).contains("\u2714 taken");
    }

    @Test
    void theRunningReleaseKeepsItsSinceAndTheHistoryIsBounded() {
        StatusRecord record = StatusRecord.empty();
        for (int i = 0; i < StatusRecord.SYNCS_KEPT + 5; i++) {
            record = record.with(new StatusRecord.Sync(ReportFixtures.T0.plusSeconds(i), "live", "1.0.1", "up to date",
                    "Up to date"), "1.0.1");
        }
        assertThat(record.syncs()).hasSize(StatusRecord.SYNCS_KEPT);
        assertThat(record.syncs().get(0).when()).isEqualTo(ReportFixtures.T0.plusSeconds(StatusRecord.SYNCS_KEPT + 4));
        assertThat(record.channels().get("live").since()).isEqualTo(ReportFixtures.T0);
    }

    @Test
    void anUnreadableRecordStartsAfresh() throws IOException {
        Files.createDirectories(pages.recordFile("dev").getParent());
        Files.writeString(pages.recordFile("dev"), "instances: [ { role: 3 ");
        assertThat(StatusRecord.read(pages.recordFile("dev"))).isEqualTo(StatusRecord.empty());
    }

    @Test
    void theRecordRoundTrips() throws IOException {
        StatusRecord record = StatusRecord.empty().with(provisioned());
        record.write(pages.recordFile("dev"));
        assertThat(StatusRecord.read(pages.recordFile("dev"))).isEqualTo(record);
        assertThat(Files.readString(pages.recordFile("dev"))).doesNotContain("hunter2");
    }

    @Test
    void provisioningsResultBecomesAnObservation() {
        Instance web = ReportFixtures.running("web", 1, 40001, D1);
        Provisioner.Result result = new Provisioner.Result(new Plan(List.of()), List.of(web),
                List.of(ReportFixtures.passed("web", "web-1", 10)), true);
        Observation o = Observation.provisioned(result, List.of());
        assertThat(o.goal()).isEqualTo("provision");
        assertThat(o.provisioned()).isEmpty();
        assertThat(o.health()).containsEntry("web-1", new Observation.Health("ok", "healthy (1 check passed)"));
        assertThat(Observation.status(List.of(web), Map.of("web-1", "UNHEALTHY 1/2")).health().get("web-1"))
                .isEqualTo(new Observation.Health("failed", "unhealthy: 1/2 checks pass"));
        assertThat(Instant.now()).isAfterOrEqualTo(o.at());
    }

    /** What a person reads: the markup without its tags. */
    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "");
    }

    /** The table row that holds {@code marker}. */
    private static String row(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as("no %s in the page", marker).isGreaterThanOrEqualTo(0);
        int start = html.lastIndexOf("<tr", at);
        int end = html.indexOf("</tr>", at);
        return html.substring(start, end);
    }
}
