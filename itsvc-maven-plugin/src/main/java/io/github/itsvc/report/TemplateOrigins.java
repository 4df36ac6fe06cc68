package io.github.itsvc.report;

import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.render.Renderer;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where each template the roles render comes from, looked up the way the {@link Renderer} looks it up: the
 * service's own {@code templates/} first, then the template jars; a jar is named by the Maven coordinates in its
 * {@code META-INF/maven/.../pom.properties}, so a page says which version of a shared template a service runs.
 */
final class TemplateOrigins {

    private final Path projectDir;
    private final Path templatesDir;
    private final ClassLoader templateJars;

    TemplateOrigins(Path projectDir, Path templatesDir, ClassLoader templateJars) {
        this.projectDir = projectDir;
        this.templatesDir = templatesDir;
        this.templateJars = templateJars;
    }

    List<Dashboard.TemplateRow> of(Service service) {
        Map<String, List<String>> usedBy = new LinkedHashMap<>();
        for (Role role : service.roles().values()) {
            for (Role.FileSpec file : role.files()) {
                List<String> roles = usedBy.computeIfAbsent(file.template(), k -> new ArrayList<>());
                if (!roles.contains(role.name())) {
                    roles.add(role.name());
                }
            }
        }
        // Every instance's cloud-init user-data is rendered too.
        usedBy.computeIfAbsent(Renderer.USER_DATA_TEMPLATE, k -> new ArrayList<>())
                .addAll(service.roles().keySet().stream().filter(r -> !usedBy.get(Renderer.USER_DATA_TEMPLATE)
                        .contains(r)).toList());
        List<Dashboard.TemplateRow> rows = new ArrayList<>();
        usedBy.forEach((name, roles) -> rows.add(origin(name, roles)));
        return rows;
    }

    private Dashboard.TemplateRow origin(String name, List<String> roles) {
        String relative = name.startsWith("/") ? name.substring(1) : name;
        Path own = templatesDir.resolve(relative);
        if (Files.isRegularFile(own)) {
            return new Dashboard.TemplateRow(name, "own", display(own), roles);
        }
        URL url = templateJars.getResource(relative);
        if (url == null) {
            return new Dashboard.TemplateRow(name, "missing", "not found", roles);
        }
        return new Dashboard.TemplateRow(name, "jar", jar(url), roles);
    }

    private String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = projectDir.toAbsolutePath().normalize();
        return (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
    }

    /** The jar's Maven coordinates, or its file name when it has none. */
    static String jar(URL url) {
        if (!"jar".equals(url.getProtocol())) {
            return url.toString();
        }
        try {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            URL jarUrl = connection.getJarFileURL();
            String fileName = jarUrl.getPath().substring(jarUrl.getPath().lastIndexOf('/') + 1);
            try (JarFile jar = new JarFile(Path.of(jarUrl.toURI()).toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                        Properties pom = new Properties();
                        try (InputStream in = jar.getInputStream(entry)) {
                            pom.load(in);
                        }
                        return pom.getProperty("groupId") + ":" + pom.getProperty("artifactId") + ":"
                                + pom.getProperty("version");
                    }
                }
            }
            return fileName;
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return url.toString();
        }
    }
}
