package io.github.itsvc.render;

import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.StopException;
import freemarker.template.TemplateException;
import freemarker.template.TemplateNotFoundException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problem;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Turns FreeMarker's exceptions into {@link Problem}s the user can act on: the template file as they know it (own
 * templates relative to the project, shared ones as {@code <jar>!/itsvc/...} or {@code classpath:/itsvc/...}),
 * line:column, a one-line message and a fix. FreeMarker's own multi-line messages and stack traces are not shown.
 */
final class TemplateErrors {

    /** The variables every instance template sees, for hints. */
    private static final Pattern WRAPPER_DETAIL = Pattern.compile(" \\((wrapper: [^()]*|[^()]* wrapped into [^()]*)\\)");

    static final String VARIABLES = "service, site, values, role, instance, instances, binaries";

    private final Path projectDir;
    private final Path templatesDir;
    private final ClassLoader templateJars;
    private final String siteFile;

    TemplateErrors(Path projectDir, Path templatesDir, ClassLoader templateJars, String siteFile) {
        this.projectDir = projectDir;
        this.templatesDir = templatesDir;
        this.templateJars = templateJars;
        this.siteFile = siteFile;
    }

    /** A template named in {@code files:} (or the user-data template) does not exist. */
    Problem notFound(String name, Location at) {
        return new Problem(at, "template '" + name + "' not found: looked in " + wherePlaces(name),
                notFoundFix(name));
    }

    /** A template failed to parse (directly or through {@code #import}/{@code #include}). */
    Problem parse(ParseException e, String rendering) {
        String source = e.getTemplateName();
        Location at = new Location(display(source), Math.max(1, e.getLineNumber()), Math.max(1, e.getColumnNumber()));
        String message = "syntax error: " + firstLine(e.getEditorMessage()) + context(source, rendering);
        return new Problem(at, message, "fix the FreeMarker syntax here (https://freemarker.apache.org/docs/ref.html)");
    }

    /** A template failed while running; {@code rendering} is the template that was asked for. */
    Problem template(TemplateException e, String rendering) {
        // An #import/#include of a broken or missing template fails at the directive; say what is really wrong.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ParseException pe) {
                return parse(pe, rendering);
            }
            if (c instanceof TemplateNotFoundException nf) {
                return notFound(nf.getTemplateName(), locationOf(e, rendering));
            }
        }
        Location at = locationOf(e, rendering);
        String source = e.getTemplateSourceName();
        String context = context(source, rendering);
        if (e instanceof InvalidReferenceException) {
            String expr = e.getBlamedExpressionString();
            if (expr == null) {
                return new Problem(at, "undefined variable: " + firstLine(e.getMessageWithoutStackTop()) + context,
                        "check the name (variables: " + VARIABLES + ") or give a default with !");
            }
            return new Problem(at, "undefined variable '" + expr + "'" + context, undefinedFix(expr));
        }
        if (e instanceof StopException) {
            // <#stop "..."> is a template author's own message, usually saying what the template needs.
            return new Problem(at, firstLine(e.getMessageWithoutStackTop()) + context,
                    "the template stopped on purpose: do what its message says (its header comment lists what it"
                            + " needs)");
        }
        String message = firstLine(e.getMessageWithoutStackTop());
        String expr = e.getBlamedExpressionString();
        if (expr != null && !message.contains(expr)) {
            message = "'" + expr + "': " + message;
        }
        return new Problem(at, message + context, tip(e.getMessageWithoutStackTop()));
    }

    private String undefinedFix(String expr) {
        String withDefault = "${" + expr + "!\"...\"}";
        if (expr.startsWith("values.") || expr.startsWith("site.values.")) {
            return "define it under values: in " + siteFile + ", or give a default: " + withDefault;
        }
        return "check the name (variables: " + VARIABLES + "), or give a default: " + withDefault
                + ", or test it: <#if " + expr + "??>";
    }

    private String notFoundFix(String name) {
        String bare = strip(name);
        String fix = "create " + display(templatesDir.resolve(bare)) + ", or correct the name";
        // DESIGN.md writes shared templates without their /itsvc/ prefix; point at the real name.
        if (!bare.startsWith("itsvc/") && templateJars.getResource("itsvc/" + bare) != null) {
            fix += " (a shared template has this name: /itsvc/" + bare + ")";
        }
        return fix;
    }

    private String wherePlaces(String name) {
        String bare = strip(name);
        return display(templatesDir.resolve(bare)) + " and the template jars on the plugin's class path (classpath:/"
                + bare + ")";
    }

    private Location locationOf(TemplateException e, String rendering) {
        String source = e.getTemplateSourceName() != null ? e.getTemplateSourceName() : rendering;
        Integer line = e.getLineNumber();
        Integer column = e.getColumnNumber();
        return new Location(display(source), line == null ? 1 : line, column == null ? 1 : column);
    }

    /** Says which template was being rendered when the error is in another one (an imported macro library). */
    private String context(String source, String rendering) {
        if (source == null || strip(source).equals(strip(rendering))) {
            return "";
        }
        return " (while rendering " + display(rendering) + ")";
    }

    /** A template name as the user finds it: own file relative to the project, or where on the class path. */
    String display(String templateName) {
        String bare = strip(templateName);
        Path own = templatesDir.resolve(bare);
        if (Files.isRegularFile(own)) {
            return display(own);
        }
        URL url = templateJars.getResource(bare);
        if (url != null && "jar".equals(url.getProtocol())) {
            String path = url.getPath();
            int bang = path.indexOf("!/");
            if (bang > 0) {
                String jar = path.substring(0, bang);
                return jar.substring(jar.lastIndexOf('/') + 1) + "!/" + bare;
            }
        }
        return "classpath:/" + bare;
    }

    private String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = projectDir.toAbsolutePath().normalize();
        Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
        return shown.toString().replace('\\', '/');
    }

    private static String strip(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** FreeMarker's first message line, without its trailing colon (the quoted expression follows it). */
    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "template error";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        // Java wrapper details mean nothing to a template author: "(LinkedHashMap wrapped into f.t.DefaultMapAdapter)".
        line = WRAPPER_DETAIL.matcher(line).replaceAll("");
        return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    }

    /** FreeMarker's first "Tip:" as the fix, if it gave one. */
    private static String tip(String message) {
        if (message != null) {
            for (String line : message.lines().toList()) {
                String s = line.strip();
                if (s.startsWith("- Tip: ") || s.startsWith("Tip: ")) {
                    return s.substring(s.indexOf("Tip: ") + 5);
                }
            }
        }
        return "correct the template here (https://freemarker.apache.org/docs/ref.html)";
    }
}
