package io.github.itsvc.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.cache.TemplateNameFormat;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.core.UndefinedOutputFormat;
import freemarker.ext.beans.BeansWrapper;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.MalformedTemplateNameException;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import freemarker.template.Version;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problem;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a service's configuration for one site with FreeMarker, strictly: an undefined variable or a syntax error
 * is an {@link InvalidInputException} naming the template, line and column. Output is written atomically to
 * {@code <outputRoot>/<site>/}: either the whole new rendering or nothing (the previous one, if any, stays).
 *
 * <p>Layout, per instance {@code <role>-<index>} of every role: {@code <site>/<role>/<instance>/root/<files[].to>}
 * (the instance root) and {@code <site>/<role>/<instance>/cloud-init/user-data}, rendered from
 * {@value #USER_DATA_TEMPLATE} with the variables of {@link DataModel} plus {@code files}: the instance's rendered
 * files as {@code path} (relative to the instance root), {@code mode} and {@code base64} (the content).
 */
public final class Renderer {

    /** The cloud-init user-data template; a service overrides it with its own file at the same path. */
    public static final String USER_DATA_TEMPLATE = "/itsvc/cloud-init/user-data.ftl";

    /** The mode of a rendered file whose {@code files:} entry gives none. */
    static final String DEFAULT_MODE = "0644";

    /** User-data will carry secrets (passwords from settings.xml) in later goals: owner-only from the start. */
    static final String USER_DATA_MODE = "0600";

    private static final Version FREEMARKER = Configuration.VERSION_2_3_34;

    private final Path projectDir;
    private final Path templatesDir;
    private final ClassLoader templateJars;
    private final Configuration freemarker;

    /**
     * @param projectDir the project's base directory; template file names in messages are relative to it
     * @param templatesDir the service's own templates ({@code src/main/itsvc/templates}), looked up first; may not exist
     * @param templateJars the class loader whose resources hold shared template jars (templates under {@code /itsvc/})
     */
    public Renderer(Path projectDir, Path templatesDir, ClassLoader templateJars) {
        this.projectDir = projectDir;
        this.templatesDir = templatesDir;
        this.templateJars = templateJars;
        try {
            this.freemarker = configuration(templatesDir, templateJars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read templates in " + templatesDir, e);
        }
    }

    /** Renders every instance of every role of the service for the site into {@code outputRoot/<site>/}. */
    public Rendering render(Service service, Site site, Path outputRoot) throws InvalidInputException, IOException {
        return render(service, site, outputRoot, DataModel.planned(service, site));
    }

    /**
     * Renders with the given placements: provisioning passes real addresses and ports, render-config the
     * {@linkplain DataModel#planned planned} ones. Every template is rendered before anything is written, and every
     * problem is reported, not only the first.
     */
    public Rendering render(Service service, Site site, Path outputRoot, DataModel.Placements placements)
            throws InvalidInputException, IOException {
        DataModel model = new DataModel(service, site, placements);
        TemplateErrors errors = errors(site);
        // One broken template used by many instances is one problem, not one per instance.
        Set<Problem> problems = new LinkedHashSet<>();
        SortedMap<String, SiteOutput.Content> files = new TreeMap<>();
        SortedSet<String> dirs = new TreeSet<>();
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                String instanceDir = role.name() + "/" + DataModel.instanceName(role.name(), index) + "/";
                dirs.add(instanceDir + "root");
                Map<String, Object> vars = model.forInstance(role.name(), index);
                List<Map<String, Object>> rendered = new ArrayList<>();
                Map<String, Location> written = new HashMap<>();
                for (Role.FileSpec spec : role.files()) {
                    if (!checkTarget(spec, written, problems)) {
                        continue;
                    }
                    String text = render(spec.template(), vars, spec.location(), errors, problems);
                    if (text == null) {
                        continue;
                    }
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    String mode = spec.mode() == null ? DEFAULT_MODE : spec.mode();
                    files.put(instanceDir + "root/" + spec.to(), new SiteOutput.Content(bytes, mode));
                    Map<String, Object> file = new LinkedHashMap<>();
                    file.put("path", spec.to());
                    file.put("mode", mode);
                    file.put("base64", Base64.getEncoder().encodeToString(bytes));
                    rendered.add(file);
                }
                Map<String, Object> userDataVars = new LinkedHashMap<>(vars);
                userDataVars.put("files", rendered);
                String userData = render(USER_DATA_TEMPLATE, userDataVars, site.location(), errors, problems);
                if (userData != null) {
                    files.put(instanceDir + "cloud-init/user-data",
                            new SiteOutput.Content(userData.getBytes(StandardCharsets.UTF_8), USER_DATA_MODE));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(List.copyOf(problems));
        }
        return SiteOutput.write(outputRoot, site.name(), files, dirs);
    }

    private TemplateErrors errors(Site site) {
        String siteFile = site.location() == null ? "src/main/itsvc/sites/" + site.name() + ".yaml"
                : site.location().file();
        return new TemplateErrors(projectDir, templatesDir, templateJars, siteFile);
    }

    /** Renders a template, or adds its problem and returns null. */
    private String render(String name, Map<String, Object> vars, Location at, TemplateErrors errors,
            Collection<Problem> problems) throws IOException {
        try {
            Template template = freemarker.getTemplate(name);
            StringWriter out = new StringWriter();
            template.process(vars, out);
            return out.toString();
        } catch (TemplateNotFoundException e) {
            problems.add(errors.notFound(name, at));
        } catch (MalformedTemplateNameException e) {
            problems.add(new Problem(at, "template name '" + name + "' is malformed: " + e.getMalformednessDescription(),
                    "name it like tomcat/server.xml.ftl: relative to src/main/itsvc/templates or a template jar, '/'"
                            + " separated, no '..' above the root"));
        } catch (ParseException e) {
            problems.add(errors.parse(e, name));
        } catch (TemplateException e) {
            problems.add(errors.template(e, name));
        }
        return null;
    }

    /**
     * The model validates {@code to}; this guards the file system anyway, and catches two entries writing the same
     * file (or a file where another needs a directory), which would otherwise fail half-way through writing.
     */
    private static boolean checkTarget(Role.FileSpec spec, Map<String, Location> written, Collection<Problem> problems) {
        String to = spec.to();
        Path p = Path.of(to).normalize();
        if (to.isEmpty() || p.isAbsolute() || p.startsWith("..") || !p.toString().replace('\\', '/').equals(to)) {
            problems.add(new Problem(spec.location(), "files: 'to: " + to + "' is not a normalized path inside the"
                    + " instance root", "write a relative path without '..', e.g. opt/app/conf/app.conf"));
            return false;
        }
        if (spec.mode() != null && !spec.mode().matches("0?[0-7]{3}")) {
            problems.add(new Problem(spec.location(), "files: mode '" + spec.mode() + "' is not an octal file mode",
                    "write it like \"0644\" (quoted, so YAML keeps the leading 0)"));
            return false;
        }
        Location previous = written.get(to);
        if (previous != null) {
            problems.add(new Problem(spec.location(), "files: '" + to + "' is already written by the entry at "
                    + previous, "write each file once"));
            return false;
        }
        for (Map.Entry<String, Location> other : written.entrySet()) {
            if (to.startsWith(other.getKey() + "/") || other.getKey().startsWith(to + "/")) {
                problems.add(new Problem(spec.location(), "files: '" + to + "' and '" + other.getKey()
                        + "' (at " + other.getValue() + ") need the same path as a file and as a directory",
                        "move one of them"));
                return false;
            }
        }
        written.put(to, spec.location());
        return true;
    }

    /** FreeMarker set up strictly and reproducibly; see the class comment. */
    private static Configuration configuration(Path templatesDir, ClassLoader templateJars) throws IOException {
        Configuration cfg = new Configuration(FREEMARKER);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (Files.isDirectory(templatesDir)) {
            loaders.add(new FileTemplateLoader(templatesDir.toFile()));
        }
        loaders.add(new ClassTemplateLoader(templateJars, ""));
        MultiTemplateLoader loader = new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0]));
        loader.setSticky(false); // always the service's own templates first
        cfg.setTemplateLoader(loader);
        cfg.setTemplateNameFormat(TemplateNameFormat.DEFAULT_2_4_0); // stricter names: no backslashes, no schemes
        cfg.setLocalizedLookup(false); // no locale-dependent foo_en_US.ftl lookups

        // Strict: errors are thrown to us, never printed into the output or logged by FreeMarker.
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);

        // Reproducible: same bytes on every machine, whatever its locale, time zone or encoding.
        cfg.setDefaultEncoding(StandardCharsets.UTF_8.name());
        cfg.setOutputEncoding(StandardCharsets.UTF_8.name());
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setSQLDateAndTimeTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNumberFormat("computer"); // 8080, not "8,080"
        cfg.setBooleanFormat("c"); // true/false

        // Config files, not HTML: no auto-escaping (?xml, ?json_string... remain for explicit use).
        // .ftlh/.ftlx still opt into HTML/XML escaping, as FreeMarker users expect.
        cfg.setOutputFormat(UndefinedOutputFormat.INSTANCE);

        // Templates are code from other people's jars: no Java classes, no ?api, only our plain data.
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        DefaultObjectWrapperBuilder wrapper = new DefaultObjectWrapperBuilder(FREEMARKER);
        wrapper.setExposureLevel(BeansWrapper.EXPOSE_NOTHING);
        wrapper.setForceLegacyNonListCollections(false);
        DefaultObjectWrapper built = wrapper.build();
        cfg.setObjectWrapper(built);
        return cfg;
    }
}
