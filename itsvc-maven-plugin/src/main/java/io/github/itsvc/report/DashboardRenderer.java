package io.github.itsvc.report;

import freemarker.cache.ClassTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Renders a {@link Dashboard} with this package's FreeMarker templates: {@code page.ftlh} (the standalone status
 * page) and {@code report.ftlh} (the itsvc report's content in {@code mvn site}) share {@code body.ftlh} and
 * {@code style.css}. HTML auto-escaping everywhere; only the diagram, which {@link Diagram} escaped, goes in as it is.
 */
public final class DashboardRenderer {

    private final Configuration freemarker;

    public DashboardRenderer() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setTemplateLoader(new ClassTemplateLoader(DashboardRenderer.class, ""));
        cfg.setRecognizeStandardFileExtensions(true); // .ftlh: HTML escaping
        cfg.setOutputFormat(HTMLOutputFormat.INSTANCE);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setDefaultEncoding(StandardCharsets.UTF_8.name());
        cfg.setOutputEncoding(StandardCharsets.UTF_8.name());
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNumberFormat("computer");
        cfg.setLocalizedLookup(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        // Records' accessors (d.service) and their few methods (d.verdict()) are what the templates read.
        cfg.setObjectWrapper(new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build());
        this.freemarker = cfg;
    }

    /** The standalone status page, a whole HTML document. */
    public String page(Dashboard dashboard) throws IOException {
        return render("page.ftlh", dashboard);
    }

    /** The report's content for a page of {@code mvn site}: a {@code <style>} and a {@code <div>}. */
    public String fragment(Dashboard dashboard) throws IOException {
        return render("report.ftlh", dashboard);
    }

    private String render(String template, Dashboard dashboard) throws IOException {
        StringWriter out = new StringWriter();
        try {
            freemarker.getTemplate(template).process(Map.of("d", dashboard), out);
        } catch (TemplateException e) {
            // Our own templates and data: a failure here is a bug in itsvc, not the user's mistake.
            throw new IllegalStateException("itsvc's " + template + " failed: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
