package io.github.itsvc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kind of instance in a service (web, db, worker...).
 *
 * @param name the key under {@code roles:}
 * @param count how many instances (at least 1)
 * @param image the machine image for cloud targets, or {@code null}
 * @param flavor the machine size for cloud targets, or {@code null}
 * @param ports named ports, in file order (names unique, numbers unique within the role, 1..65535)
 * @param dependsOn roles that must be up (and pass their checks) before this one starts
 * @param install binaries unpacked into the instance root
 * @param files templates rendered into the instance root
 * @param run the command that runs the role, relative paths against the instance root; {@code null} for none
 * @param checks how to tell the role is healthy
 * @param location where the role is defined
 */
public record Role(
        String name,
        int count,
        Image image,
        String flavor,
        Map<String, Integer> ports,
        List<String> dependsOn,
        List<Install> install,
        List<FileSpec> files,
        String run,
        List<Check> checks,
        Location location) {

    public Role {
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        dependsOn = List.copyOf(dependsOn);
        install = List.copyOf(install);
        files = List.copyOf(files);
        checks = List.copyOf(checks);
    }

    /**
     * A cloud image: by name or id ({@code image: debian-12}), or a binary of the service uploaded as an image
     * ({@code image: { binary: debian-12-cloud }}). Exactly one of the two is set.
     */
    public record Image(String name, String binary) {}

    /**
     * {@code install: - { binary: tomcat, unpack: opt/tomcat, strip: 1 }}.
     *
     * @param binary the binary's name (a key of {@code binaries:})
     * @param unpack where to unpack it, relative to the instance root (normalized, never escaping it)
     * @param strip how many leading path components to drop from archive entries
     */
    public record Install(String binary, String unpack, int strip, Location location) {}

    /**
     * {@code files: - { template: tomcat/server.xml.ftl, to: opt/tomcat/conf/server.xml, mode: "0644" }}.
     *
     * @param template the template name, looked up in the service's templates then in template jars
     * @param to where the rendered file goes, relative to the instance root (normalized, never escaping it)
     * @param mode octal file mode, e.g. {@code 0644}
     */
    public record FileSpec(String template, String to, String mode, Location location) {}
}
