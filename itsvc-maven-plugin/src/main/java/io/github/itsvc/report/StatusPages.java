package io.github.itsvc.report;

import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.check.JUnitReport;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status page of a site and the data behind it. {@code provision}, {@code test-deployment} and {@code status}
 * each hand over what they saw ({@link #write}); the page is rewritten whole from everything observed so far, to
 * {@code <output>/status/index.html} and, when the site names one ({@code statusPage:}), to a path an appliance's
 * web server publishes. {@code mvn site} reads the same data ({@link #dashboard}) and renders the same templates.
 */
public final class StatusPages {

    /** The page, under the output directory. */
    public static final String PAGE = "status/index.html";

    private final Path projectDir;
    private final Path outputDir;
    private final Path reportsDir;
    private final DashboardBuilder builder;
    private final DashboardRenderer renderer = new DashboardRenderer();

    /**
     * @param projectDir the project's base directory: relative paths are against it
     * @param definitionDir {@code src/main/itsvc}: the service's own templates are in its {@code templates/}
     * @param outputDir {@code target/itsvc}
     * @param reportsDir where test-deployment writes JUnit XML, {@code target/itsvc-reports}
     * @param templateJars the class loader that holds the template jars, as for rendering
     */
    public StatusPages(Path projectDir, Path definitionDir, Path outputDir, Path reportsDir,
            ClassLoader templateJars) {
        this.projectDir = projectDir;
        this.outputDir = outputDir;
        this.reportsDir = reportsDir;
        this.builder = new DashboardBuilder(new TemplateOrigins(projectDir, definitionDir.resolve("templates"),
                templateJars));
    }

    /** Where the goals keep what they observed of a site. */
    public Path recordFile(String site) {
        return outputDir.resolve("status").resolve(site + ".yaml");
    }

    /**
     * Adds what a goal observed to the site's record and writes the status page (and the site's own copy).
     *
     * @param lock the pinned hashes, or {@code null}
     * @return the pages written
     */
    public List<Path> write(Service service, Site site, Lockfile lock, Observation observation) throws IOException {
        StatusRecord record = StatusRecord.read(recordFile(site.name())).with(observation);
        return write(service, site, lock, record, "mvn itsvc:" + observation.goal(), observation.at());
    }

    /**
     * Adds a sync to the site's record (its history, and the release the site runs from the channel) and writes the
     * status page.
     *
     * @param running the release the site runs after the sync, or {@code null} when none
     */
    public List<Path> writeSync(Service service, Site site, Lockfile lock, StatusRecord.Sync sync, String running)
            throws IOException {
        StatusRecord record = StatusRecord.read(recordFile(site.name())).with(sync, running);
        return write(service, site, lock, record, "mvn itsvc:sync", sync.when());
    }

    private List<Path> write(Service service, Site site, Lockfile lock, StatusRecord record, String generatedBy,
            Instant at) throws IOException {
        record.write(recordFile(site.name()));
        String html = renderer.page(build(service, site, lock, record, generatedBy, at));
        List<Path> written = new ArrayList<>();
        Path page = outputDir.resolve(PAGE);
        StatusRecord.writeAtomically(page, html);
        written.add(page);
        if (site.statusPage() != null) {
            Path published = projectDir.resolve(site.statusPage());
            StatusRecord.writeAtomically(published, html);
            written.add(published);
        }
        return written;
    }

    /** Everything known about the site, for {@code mvn site}: nothing is asked of the deployment. */
    public Dashboard dashboard(Service service, Site site, Lockfile lock, String generatedBy) throws IOException {
        return build(service, site, lock, StatusRecord.read(recordFile(site.name())), generatedBy, Instant.now());
    }

    /** The report's content, for {@code mvn site}. */
    public String fragment(Dashboard dashboard) throws IOException {
        return renderer.fragment(dashboard);
    }

    private Dashboard build(Service service, Site site, Lockfile lock, StatusRecord record, String generatedBy,
            Instant now) throws IOException {
        Path junit = reportsDir.resolve(JUnitReport.fileName("itsvc-" + site.name()));
        boolean stale = record.provisionedAt() != null && Files.isRegularFile(junit)
                && Files.getLastModifiedTime(junit).toInstant().isBefore(record.provisionedAt());
        Dashboard.Checks checks = CheckReport.read(junit, display(junit), stale);
        return builder.build(service, site, lock, record, checks, generatedBy, now);
    }

    private String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = projectDir.toAbsolutePath().normalize();
        return (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
    }
}
