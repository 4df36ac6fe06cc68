package io.github.itsvc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What a person sees of the dashboard of a real service: the status page and the itsvc report that the invoker IT
 * {@value #IT} left (a service of two roles brought up on the local target, one check failed, then {@code mvn site}),
 * opened in Debian's chromium, headless, driven by Debian's chromedriver, with JavaScript off (the pages must not
 * need it). Screenshots of both go to {@code target/screenshots/}.
 *
 * <p>Skipped (not passed) when that IT did not run in this build ({@code -Dinvoker.test} without it, or
 * {@code -Dinvoker.skip}); failed when its pages are missing, or chromium or chromedriver is: {@code .ci/packages}
 * installs them.
 */
class DashboardBrowserIT {

    static final String IT = "dashboard-shows-roles-failed-check-and-masked-secret";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String SECRET = "tok-3f9a-never-shown";

    static Path svc;
    static Path screenshots;
    static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        svc = Path.of(System.getProperty("itsvc.it.directory", "target/it")).resolve(IT).resolve("svc");
        assumeTrue(Files.isDirectory(svc), "the invoker IT " + IT + " did not run in this build: nothing to open");
        assertThat(svc.resolve("target/site/itsvc-report.html")).as("the report of the IT's mvn site").isRegularFile();
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; .ci/packages does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver)").isExecutable();
        screenshots = Files.createDirectories(Path.of(System.getProperty("itsvc.screenshots",
                "target/screenshots")));
        Path profile = Files.createTempDirectory("itsvc-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Nothing leaves the machine and nothing is downloaded: no sync, updates, first-run or background calls.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        // The pages are read without JavaScript.
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        long start = System.nanoTime();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        System.out.printf("chromium started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void statusPageShowsTheRolesTheFailedCheckAndMasksTheSecret() throws IOException {
        open(svc.resolve("target/itsvc/status/index.html"));

        assertThat(browser.getTitle()).startsWith("team-wiki on dev: 1 of 2 deployment checks failed");
        seesTheDashboard();
        // The instances test-deployment observed, with the health it found.
        assertThat(row("Instances with health", "web-1").getText()).contains("running", "failing: 1 of 2 checks"
                + " failed");
        screenshot("status-page.png");
    }

    @Test
    void reportInMvnSiteShowsTheSame() throws IOException {
        open(svc.resolve("target/site/itsvc-report.html"));

        assertThat(browser.findElement(By.cssSelector(".itsvc .meta")).getText()).contains("written by mvn site");
        seesTheDashboard();
        screenshot("itsvc-report.png");
    }

    private static void open(Path page) {
        long start = System.nanoTime();
        browser.get(page.toUri().toString());
        System.out.printf("%s opened in %d ms%n", page.getFileName(), (System.nanoTime() - start) / 1_000_000);
    }

    /** What both pages must show a person. */
    private static void seesTheDashboard() {
        WebElement content = browser.findElement(By.cssSelector(".itsvc"));
        assertThat(content.findElement(By.tagName("h1")).getText()).startsWith("team-wiki");
        assertThat(content.findElement(By.cssSelector(".verdict")).getText())
                .isEqualTo("\u2718 1 of 2 deployment checks failed");

        // The diagram: both roles drawn, web's box saying in words that a check failed, an arrow web -> store.
        List<WebElement> roles = content.findElements(By.cssSelector("svg g.role"));
        assertThat(roles).extracting(r -> r.getAttribute("data-role")).containsExactly("web", "store");
        WebElement web = content.findElement(By.cssSelector("svg g.role[data-role='web']"));
        assertThat(web.findElements(By.tagName("text"))).extracting(WebElement::getText)
                .containsExactly("web", "1 instance \u00b7 http 8080", "\u2718 1 check failed");
        assertThat(web.getAttribute("class")).contains("role-failed");
        assertThat(content.findElements(By.cssSelector("svg path.edge[data-from='web'][data-to='store']")))
                .hasSize(1);
        WebElement svg = content.findElement(By.cssSelector("svg.itsvc-diagram"));
        assertThat(svg.getSize().getWidth()).isGreaterThan(300);
        assertThat(svg.isDisplayed()).isTrue();

        // The failed check: told in words and a mark, and its row coloured apart from the passed ones.
        WebElement failed = row("Each check of the last test-deployment", "Welcome to the wiki");
        assertThat(failed.getText()).startsWith("\u2718 FAILED web-1 http :http/ expects 200 contains \"Welcome to"
                + " the wiki\"").contains("s"); // its time, e.g. 20.04s
        WebElement passed = row("Each check of the last test-deployment", "contains \"team-wiki\"");
        assertThat(passed.getText()).startsWith("\u2714 PASSED web-1 http :http/ expects 200 contains \"team-wiki\"");
        assertThat(failed.getCssValue("background-color")).isNotEqualTo(passed.getCssValue("background-color"));

        // The secret: its key shown, its value masked, and nowhere on the page.
        WebElement secret = row("Site values", "apiToken");
        assertThat(secret.getText()).isEqualTo("apiToken \u2022\u2022\u2022\u2022\u2022\u2022 (masked secret)");
        assertThat(content.getText()).doesNotContain(SECRET).contains("team-wiki (dev)");

        // Accessibility basics: one h1, then h2 and h3 without skipping a level; every table has header cells.
        int previous = 0;
        for (WebElement heading : content.findElements(By.cssSelector("h1, h2, h3, h4"))) {
            int level = Integer.parseInt(heading.getTagName().substring(1));
            assertThat(level).as("%s after h%d", heading.getText(), previous).isLessThanOrEqualTo(previous + 1);
            previous = level;
        }
        for (WebElement table : content.findElements(By.tagName("table"))) {
            assertThat(table.findElements(By.cssSelector("thead th[scope=col]"))).isNotEmpty();
        }
    }

    /** The row of the table captioned {@code caption...} that holds {@code text}. */
    private static WebElement row(String caption, String text) {
        for (WebElement table : browser.findElements(By.cssSelector(".itsvc table"))) {
            if (table.findElement(By.tagName("caption")).getText().startsWith(caption)) {
                for (WebElement row : table.findElements(By.cssSelector("tbody tr"))) {
                    if (row.getText().contains(text)) {
                        return row;
                    }
                }
                throw new AssertionError("no row with '" + text + "' in the table '" + caption + "'");
            }
        }
        throw new AssertionError("no table captioned '" + caption + "'");
    }

    /** The whole page, not only the window: Chromium's DevTools capture beyond the viewport (no page script). */
    @SuppressWarnings("unchecked")
    private static void screenshot(String name) throws IOException {
        Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = ((Number) size.get("width")).doubleValue();
        double height = ((Number) size.get("height")).doubleValue();
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height,
                        "scale", 1)));
        Path file = screenshots.resolve(name);
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        assertThat(Files.size(file)).isGreaterThan(10_000);
        System.out.println("screenshot: " + file.toAbsolutePath() + " (" + (int) width + "x" + (int) height + ")");
    }

    static {
        // Selenium Manager would look for (and may fetch) a driver; the driver is given, so keep it from trying.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
    }
}
