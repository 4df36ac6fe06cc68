package io.github.itsvc.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.check.CheckResult.Outcome;
import io.github.itsvc.model.Check.Expect;
import io.github.itsvc.model.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitReportTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.400Z");
    private static final Location WHERE = new Location("src/main/itsvc/service.yaml", 14, 9);

    static final CheckResult PASSED = new CheckResult("web", "web-1", "web-1 http :http/ expects 200", Outcome.PASSED,
            3, T0, Duration.ofMillis(1250), "200 from GET http://127.0.0.1:8080/ (25 bytes)", WHERE);
    static final CheckResult FAILED = new CheckResult("db", "db-1", "db-1 http :admin/ expects 200 contains \"<ok>\"",
            Outcome.FAILED, 12, T0.plusSeconds(2), Duration.ofMillis(60_004),
            "expected status 200, got 500\r\nGET http://127.0.0.1:9090/ -> 500\r\n\r\n<b>Tom & Jerry</b>\u0001\u0007"
                    + " \ud83d\ude00 lone \ud800 end",
            WHERE);
    static final CheckResult SKIPPED = new CheckResult("web", "web-2", "web-2 tcp :http", Outcome.SKIPPED, 0,
            T0.minusSeconds(1), Duration.ZERO, "db failed its checks", null);

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList list = parent.getElementsByTagName(name);
        return java.util.stream.IntStream.range(0, list.getLength()).mapToObj(i -> (Element) list.item(i)).toList();
    }

    @Test
    void writesASuiteThatReadersAccept() throws Exception {
        Path file = JUnitReport.write(dir, "itsvc.team-wiki.dev", List.of(PASSED, FAILED, SKIPPED), ZoneOffset.UTC);

        assertThat(file).isEqualTo(dir.resolve("TEST-itsvc.team-wiki.dev.xml"));
        Element suite = parse(file).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("itsvc.team-wiki.dev");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("time")).isEqualTo("61.254");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2024-05-01T09:59:59");

        List<Element> cases = elements(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname"))
                .containsExactly("itsvc.web", "itsvc.db", "itsvc.web");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly(PASSED.name(), FAILED.name(),
                SKIPPED.name());
        assertThat(cases).extracting(c -> c.getAttribute("time")).containsExactly("1.250", "60.004", "0.000");
        assertThat(cases.get(0).getChildNodes().getLength()).isZero();

        List<Element> failures = elements(cases.get(1), "failure");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getAttribute("message")).isEqualTo("expected status 200, got 500");
        assertThat(failures.get(0).getAttribute("type")).isEqualTo("itsvc.CheckFailed");
        assertThat(failures.get(0).getTextContent()).isEqualTo("""
                expected status 200, got 500
                GET http://127.0.0.1:9090/ -> 500

                <b>Tom & Jerry</b>\\u0001\\u0007 \ud83d\ude00 lone \\uD800 end

                12 attempts in 1m00s; check defined at src/main/itsvc/service.yaml:14:9""");

        List<Element> skipped = elements(cases.get(2), "skipped");
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0).getAttribute("message")).isEqualTo("db failed its checks");
    }

    @Test
    void attributesComeInAFixedOrder() throws Exception {
        String xml = Files.readString(JUnitReport.write(dir, "s", List.of(PASSED, FAILED), ZoneOffset.UTC));

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"s\" tests=\"2\""
                + " failures=\"1\" errors=\"0\" skipped=\"0\" time=\"61.254\" timestamp=\"2024-05-01T10:00:00\">\n"
                + "  <testcase name=\"web-1 http :http/ expects 200\" classname=\"itsvc.web\" time=\"1.250\"/>\n"
                + "  <testcase name=\"db-1 http :admin/ expects 200 contains &quot;&lt;ok&gt;&quot;\""
                + " classname=\"itsvc.db\" time=\"60.004\">\n    <failure message=\"expected status 200, got 500\""
                + " type=\"itsvc.CheckFailed\">expected status 200, got 500\nGET")
                .endsWith("</failure>\n  </testcase>\n</testsuite>\n");
    }

    @Test
    void theTimestampIsLocalTimeLikeSurefires() throws Exception {
        Path file = JUnitReport.write(dir, "s", List.of(PASSED), ZoneId.of("Europe/Berlin"));

        assertThat(parse(file).getDocumentElement().getAttribute("timestamp")).isEqualTo("2024-05-01T12:00:00");
    }

    @Test
    void aRealFailingCheckWithAnUglyBodyMakesAReadableReport() throws Exception {
        try (TestServer server = new TestServer()) {
            server.bytesBody = "<html>a < b && c\u0001\u001b[31mred</html>";
            CheckResult r = CheckRunner.builder().build().run(Fixtures.http("/bytes", Expect.none()),
                    server.endpoint());

            Path file = JUnitReport.write(dir, "itsvc.team-wiki.dev", List.of(r));

            Element failure = (Element) parse(file).getElementsByTagName("failure").item(0);
            assertThat(failure.getAttribute("message")).isEqualTo("expected status 200, got 500");
            assertThat(failure.getTextContent())
                    .contains("\n\n<html>a < b && c\\u0001\\u001B[31mred</html>\n\n1 attempt in ");
        }
    }

    @Test
    void replacesAWholeFileAndLeavesNothingElse() throws Exception {
        JUnitReport.write(dir, "s", List.of(PASSED, FAILED));
        Path file = JUnitReport.write(dir, "s", List.of(PASSED));

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(parse(file).getDocumentElement().getAttribute("tests")).isEqualTo("1");
    }

    @Test
    void createsTheDirectoryAndWritesAnEmptySuite() throws Exception {
        Path file = JUnitReport.write(dir.resolve("target/itsvc-reports"), "s", List.of());

        Element suite = parse(file).getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("0.000");
    }

    @Test
    void aSuiteNameBecomesASafeFileName() {
        assertThat(JUnitReport.fileName("itsvc.team-wiki.dev")).isEqualTo("TEST-itsvc.team-wiki.dev.xml");
        assertThat(JUnitReport.fileName("a/b c:d")).isEqualTo("TEST-a_b_c_d.xml");
    }
}
