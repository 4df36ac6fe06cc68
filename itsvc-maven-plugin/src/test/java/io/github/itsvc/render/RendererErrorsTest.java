package io.github.itsvc.render;

import static io.github.itsvc.render.Fixtures.at;
import static io.github.itsvc.render.Fixtures.file;
import static io.github.itsvc.render.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problem;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict rendering: every template mistake is a problem with the user's file:line:column and a fix. */
class RendererErrorsTest {

    /** A shared template is named by its jar (a packaged build) or the class path (classes on disk, in an IDE). */
    private static final String SHARED = "(classpath:|itsvc-templates-[^!/]+\\.jar!)/itsvc/";

    static final String OWN = "src/main/itsvc/templates/";

    @TempDir
    Path project;

    @TempDir
    Path out;

    Site dev = new Site("dev", "local", null, false, Map.of("title", "Wiki"), Location.of("src/main/itsvc/sites/dev.yaml"));

    /** A service with one role {@code web} (1 instance, port http 8080) rendering {@code files}. */
    static Service service(int count, String run, Role.FileSpec... files) {
        Role web = new Role("web", count, null, null, Map.of("http", 8080), List.of(), List.of(), List.of(files), run,
                List.of(), at(5, 3));
        return new Service("wiki", Map.of(), Map.of("web", web), at(1, 1));
    }

    static Service service(Role.FileSpec... files) {
        return service(1, "bin/run", files);
    }

    InvalidInputException renderFails(Service service) {
        return renderFails(Fixtures.renderer(project), service);
    }

    InvalidInputException renderFails(Renderer renderer, Service service) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> renderer.render(service, dev, out));
        assertThat(e).as("render must fail").isNotNull();
        // The Mojo shows the message as is: it must read as problems, not as a Java or FreeMarker dump.
        assertThat(e.getMessage()).doesNotContain("\tat ", "Exception", "stack trace", "wrapped into");
        assertThat(e.getCause()).isNull();
        return e;
    }

    @Test
    void undefinedVariableNamesFileLineColumnAndSiteFile() throws IOException {
        write(project.resolve(OWN + "index.html.ftl"), "<html>\n<h1>${values.titel}</h1>\n");

        InvalidInputException e = renderFails(service(file("index.html.ftl", "index.html", "0644", 7)));

        assertThat(e.problems()).containsExactly(new Problem(new Location(OWN + "index.html.ftl", 2, 7),
                "undefined variable 'values.titel'",
                "define it under values: in src/main/itsvc/sites/dev.yaml, or give a default: ${values.titel!\"...\"}"));
        assertThat(e.getMessage()).isEqualTo("1 problem:" + System.lineSeparator()
                + "src/main/itsvc/templates/index.html.ftl:2:7: undefined variable 'values.titel'"
                + System.lineSeparator() + "    fix: define it under values: in src/main/itsvc/sites/dev.yaml, or give a"
                + " default: ${values.titel!\"...\"}");
    }

    @Test
    void undefinedModelVariableListsTheVariables() throws IOException {
        write(project.resolve(OWN + "a.ftl"), "port ${instance.ports.https}\n");

        Problem p = renderFails(service(file("a.ftl", "a", "0644", 7))).problems().get(0);

        assertThat(p.location()).isEqualTo(new Location(OWN + "a.ftl", 1, 8));
        assertThat(p.message()).isEqualTo("undefined variable 'instance.ports.https'");
        assertThat(p.fix()).contains("service, site, values, role, instance, instances, binaries",
                "${instance.ports.https!\"...\"}", "<#if instance.ports.https??>");
    }

    @Test
    void syntaxErrorHasLineColumnAndOneLineMessage() throws IOException {
        write(project.resolve(OWN + "a.ftl"), "one\n<#if values.title>\nno end\n");

        Problem p = renderFails(service(file("a.ftl", "a", "0644", 7))).problems().get(0);

        assertThat(p.location().file()).isEqualTo(OWN + "a.ftl");
        assertThat(p.location().line()).isGreaterThanOrEqualTo(2);
        assertThat(p.message()).startsWith("syntax error: ").doesNotContain("\n").contains("#if");
    }

    @Test
    void missingTemplateIsReportedAtItsFilesEntry() {
        Problem p = renderFails(service(file("nope.ftl", "a", "0644", 12))).problems().get(0);

        assertThat(p.location()).isEqualTo(at(12, 9));
        assertThat(p.message()).isEqualTo("template 'nope.ftl' not found: looked in " + OWN + "nope.ftl and the"
                + " template jars on the plugin's class path (classpath:/nope.ftl)");
        assertThat(p.fix()).isEqualTo("create " + OWN + "nope.ftl, or correct the name");
    }

    @Test
    void malformedTemplateNameSaysHowToNameIt() {
        Problem p = renderFails(service(file("../../etc/passwd", "a", "0644", 12))).problems().get(0);

        assertThat(p.location()).isEqualTo(at(12, 9));
        assertThat(p.message()).startsWith("template name '../../etc/passwd' is malformed: ");
    }

    @Test
    void sharedTemplateWithoutItsPrefixIsPointedTo() {
        Problem p = renderFails(service(file("tomcat/server.xml.ftl", "a", "0644", 12))).problems().get(0);

        assertThat(p.fix()).endsWith("(a shared template has this name: /itsvc/tomcat/server.xml.ftl)");
    }

    @Test
    void serviceTemplateOverridesJarTemplateAtTheSamePath() throws Exception {
        write(project.resolve(OWN + "itsvc/tomcat/server.xml.ftl"), "<Server port=\"${instance.ports.http}\"/>\n");
        write(project.resolve(OWN + "itsvc/cloud-init/user-data.ftl"), "#cloud-config\n# own ${instance.name}\n");

        Rendering r = Fixtures.renderer(project)
                .render(service(file("/itsvc/tomcat/server.xml.ftl", "conf/server.xml", "0644", 7)), dev, out);

        assertThat(r.siteDir().resolve("web/web-1/root/conf/server.xml")).hasContent("<Server port=\"8080\"/>");
        assertThat(r.siteDir().resolve("web/web-1/cloud-init/user-data")).hasContent("#cloud-config\n# own web-1");
    }

    @Test
    void serviceTemplateImportsSharedMacros() throws Exception {
        write(project.resolve(OWN + "u.ftl"),
                "<#import \"/itsvc/systemd/unit.ftl\" as unit>\n${unit.name(service, role)}\n"
                        + "<@unit.service service=service role=role instance=instance/>");

        Rendering r = Fixtures.renderer(project).render(service(1, "java -jar app.jar",
                file("u.ftl", "u", "0644", 7)), dev, out);

        String unit = Files.readString(r.siteDir().resolve("web/web-1/root/u"));
        assertThat(unit).startsWith("itsvc-wiki-web.service\n[Unit]\n");
        // A bare command stays for systemd's search path; only relative paths are taken from the instance root.
        assertThat(unit).contains("\nExecStart=java -jar app.jar\n");
    }

    @Test
    void errorInsideASharedTemplateIsLocatedThereAndNamesTheCaller() throws IOException {
        // A role without run: the shared unit macro needs role.run.
        write(project.resolve(OWN + "u.ftl"), "<#import \"/itsvc/systemd/unit.ftl\" as unit>\n"
                + "<@unit.service service=service role=role instance=instance/>\n");

        Problem p = renderFails(service(1, null, file("u.ftl", "u", "0644", 7))).problems().get(0);

        assertThat(p.location().file()).matches(SHARED + "systemd/unit\\.ftl");
        assertThat(p.location().line()).isEqualTo(lineOf("itsvc/systemd/unit.ftl", "<#stop"));
        assertThat(p.message()).startsWith("role web has no run: ").endsWith("(while rendering " + OWN + "u.ftl)");
        assertThat(p.fix()).startsWith("the template stopped on purpose");
    }

    @Test
    void errorInAnImportedTemplateOfAJarIsLocatedInTheJar() throws Exception {
        Path jar = project.resolve("acme-templates-1.0.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os)) {
            jos.putNextEntry(new JarEntry("acme/lib.ftl"));
            jos.write("<#macro hello>\n  Hello ${values.name}!\n</#macro>\n".getBytes(StandardCharsets.UTF_8));
        }
        write(project.resolve(OWN + "a.ftl"), "<#import \"/acme/lib.ftl\" as acme>\n<@acme.hello/>\n");

        try (URLClassLoader jars = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            Renderer renderer = new Renderer(project, project.resolve(OWN), jars);
            Problem p = renderFails(renderer, service(file("a.ftl", "a", "0644", 7))).problems().get(0);

            assertThat(p.location()).isEqualTo(new Location("acme-templates-1.0.jar!/acme/lib.ftl", 2, 11));
            assertThat(p.message()).isEqualTo("undefined variable 'values.name' (while rendering " + OWN + "a.ftl)");
            assertThat(p.fix()).startsWith("define it under values: in src/main/itsvc/sites/dev.yaml");
        }
    }

    @Test
    void importOfAMissingTemplateIsReportedAtTheImport() throws IOException {
        write(project.resolve(OWN + "a.ftl"), "x\n  <#import \"/itsvc/nope.ftl\" as nope>\n");

        Problem p = renderFails(service(file("a.ftl", "a", "0644", 7))).problems().get(0);

        assertThat(p.location()).isEqualTo(new Location(OWN + "a.ftl", 2, 3));
        assertThat(p.message()).startsWith("template 'itsvc/nope.ftl' not found: looked in " + OWN + "itsvc/nope.ftl");
    }

    @Test
    void syntaxErrorInAnImportedTemplateIsLocatedThere() throws IOException {
        write(project.resolve(OWN + "lib.ftl"), "<#macro m>\n${\n</#macro>\n");
        write(project.resolve(OWN + "a.ftl"), "<#import \"lib.ftl\" as lib>\n<@lib.m/>\n");

        Problem p = renderFails(service(file("a.ftl", "a", "0644", 7))).problems().get(0);

        assertThat(p.location().file()).isEqualTo(OWN + "lib.ftl");
        assertThat(p.message()).startsWith("syntax error: ").endsWith("(while rendering " + OWN + "a.ftl)");
    }

    @Test
    void everyProblemIsReportedOnceAcrossFilesAndInstances() throws IOException {
        write(project.resolve(OWN + "a.ftl"), "${values.a}\n");
        write(project.resolve(OWN + "b.ftl"), "${values.b}\n");
        write(project.resolve(OWN + "ok.ftl"), "fine\n");

        InvalidInputException e = renderFails(service(3, "bin/run", file("a.ftl", "a", "0644", 7),
                file("ok.ftl", "ok", "0644", 8), file("b.ftl", "b", "0644", 9), file("gone.ftl", "c", "0644", 10)));

        assertThat(e.problems()).extracting(Problem::message).containsExactly("undefined variable 'values.a'",
                "undefined variable 'values.b'", "template 'gone.ftl' not found: looked in " + OWN + "gone.ftl and the"
                        + " template jars on the plugin's class path (classpath:/gone.ftl)");
        assertThat(e.getMessage()).startsWith("3 problems:");
    }

    @Test
    void templatesCannotReachJavaClasses() throws IOException {
        write(project.resolve(OWN + "new.ftl"),
                "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}\n");
        write(project.resolve(OWN + "api.ftl"), "${values?api.getClass().getName()}\n");

        InvalidInputException e = renderFails(service(file("new.ftl", "a", "0644", 7),
                file("api.ftl", "b", "0644", 8)));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).location().file()).isEqualTo(OWN + "new.ftl");
        assertThat(e.problems().get(0).message()).contains("Execute is not allowed");
        assertThat(e.problems().get(1).location()).isEqualTo(new Location(OWN + "api.ftl", 1, 3));
        assertThat(e.problems().get(1).message()).contains("?api");
    }

    @Test
    void typeErrorsAreOneLineWithAFix() throws IOException {
        write(project.resolve(OWN + "a.ftl"), "ports: ${role.ports}\n");

        Problem p = renderFails(service(file("a.ftl", "a", "0644", 7))).problems().get(0);

        assertThat(p.location()).isEqualTo(new Location(OWN + "a.ftl", 1, 10));
        assertThat(p.message()).startsWith("'role.ports': For \"${...}\" content: Expected a string")
                .doesNotContain("\n").contains("hash");
        assertThat(p.fix()).isNotBlank();
    }

    @Test
    void nginxProxyWithoutBackendSaysWhatToDo() {
        Problem p = renderFails(service(file("itsvc/nginx/reverse-proxy.conf.ftl", "p.conf", "0644", 7)))
                .problems().get(0);

        assertThat(p.location().file()).matches(SHARED + "nginx/reverse-proxy\\.conf\\.ftl");
        assertThat(p.message()).contains("role web has no dependsOn", "values.proxy.upstream");
    }

    @Test
    void filesWritingTheSamePathAreRejected() throws IOException {
        write(project.resolve(OWN + "ok.ftl"), "fine\n");

        InvalidInputException e = renderFails(service(file("ok.ftl", "etc/a", "0644", 7),
                file("ok.ftl", "etc/a", "0644", 8), file("ok.ftl", "etc/a/b", "0644", 9),
                file("ok.ftl", "../escape", "0644", 10), file("ok.ftl", "etc/c", "644 ", 11)));

        assertThat(e.problems()).extracting(Problem::location).containsExactly(at(8, 9), at(9, 9), at(10, 9),
                at(11, 9));
    }

    /** The 1-based line of the first line containing {@code text} in a class path resource. */
    static int lineOf(String resource, String text) throws IOException {
        try (var in = RendererErrorsTest.class.getClassLoader().getResourceAsStream(resource)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        }
        throw new AssertionError(text + " not in " + resource);
    }
}
