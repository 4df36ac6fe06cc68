package io.github.itsvc.maven;

import io.github.itsvc.binaries.Lockfile;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.report.Dashboard;
import io.github.itsvc.report.StatusPages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.AbstractMavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * The itsvc report in {@code mvn site}: the service's roles and their {@code dependsOn} as a diagram, the site with
 * its values (secrets masked), every binary with source, pinned hash and signature status, the templates and where
 * they come from, the instances as last observed, and the last test-deployment's checks with their timings. It reads
 * what the goals wrote ({@code target/itsvc/status/<site>.yaml}, {@code target/itsvc-reports/}): it deploys and
 * probes nothing, so run {@code mvn verify site} (or {@code mvn itsvc:provision itsvc:test-deployment site}) for a
 * report with results. The same templates make the status page of {@code provision}, {@code test-deployment} and
 * {@code status}.
 */
@Mojo(name = "itsvc-report", defaultPhase = LifecyclePhase.SITE, threadSafe = true)
public class ItsvcReport extends AbstractMavenReport {

    /** The project's base directory; paths on the page are relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    private File basedir;

    /** The service definition directory: {@code service.yaml}, {@code sites/}, {@code templates/}. */
    @Parameter(property = "itsvc.definitionDirectory", defaultValue = "${project.basedir}/src/main/itsvc", required = true)
    private File definitionDirectory;

    /** Where the itsvc goals write their output, the record of what they observed included. */
    @Parameter(property = "itsvc.outputDirectory", defaultValue = "${project.build.directory}/itsvc", required = true)
    private File itsvcDirectory;

    /** Where test-deployment wrote its JUnit XML reports. */
    @Parameter(property = PropertyNames.REPORTS_DIRECTORY, defaultValue = "${project.build.directory}/itsvc-reports",
            required = true)
    private File reportsDirectory;

    /** The site to report on. */
    @Parameter(property = PropertyNames.SITE, defaultValue = PropertyNames.DEFAULT_SITE, required = true)
    private String site;

    /** The lock file with the pinned hashes. */
    @Parameter(property = PropertyNames.LOCK_FILE, defaultValue = "${project.basedir}/itsvc.lock", required = true)
    private File lockFile;

    /** Skips the report. */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    private boolean skip;

    @Override
    public String getOutputName() {
        return "itsvc-report";
    }

    @Override
    public String getName(Locale locale) {
        return "itsvc";
    }

    @Override
    public String getDescription(Locale locale) {
        return "The service's roles, site, binaries and templates, its instances and the last deployment checks.";
    }

    /** Only for projects with a service definition (an aggregator or a jar beside it gets no empty page). */
    @Override
    public boolean canGenerateReport() {
        return !skip && Files.isRegularFile(definitionDirectory.toPath().resolve(DefinitionReader.SERVICE_FILE));
    }

    @Override
    protected void executeReport(Locale locale) throws MavenReportException {
        String html;
        try {
            var reader = new DefinitionReader(basedir.toPath(), definitionDirectory.toPath());
            var service = reader.readService();
            var chosen = reader.readSite(site);
            var lock = Lockfile.read(lockFile.toPath(), basedir.toPath().relativize(lockFile.toPath()
                    .toAbsolutePath()).toString().replace('\\', '/'));
            StatusPages pages = new StatusPages(basedir.toPath(), definitionDirectory.toPath(), itsvcDirectory.toPath(),
                    reportsDirectory.toPath(), getClass().getClassLoader());
            Dashboard dashboard = pages.dashboard(service, chosen, lock, "mvn site");
            html = pages.fragment(dashboard);
        } catch (InvalidInputException e) {
            // The same message validate gives: file:line:column and a fix.
            throw new MavenReportException(e.getMessage());
        } catch (IOException e) {
            throw new MavenReportException("cannot make the itsvc report: " + e.getMessage(), e);
        }
        Sink sink = getSink();
        sink.head();
        sink.title();
        sink.text("itsvc: " + getProject().getName());
        sink.title_();
        sink.head_();
        sink.body();
        // Our templates' HTML as it is: the same content as the status page, inside the site's skin.
        sink.rawText(html);
        sink.body_();
        sink.flush();
        sink.close();
    }
}
