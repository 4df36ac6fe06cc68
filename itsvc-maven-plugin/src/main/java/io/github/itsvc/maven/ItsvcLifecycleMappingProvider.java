package io.github.itsvc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.inject.Named;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.apache.maven.lifecycle.mapping.DefaultLifecycleMapping;
import org.apache.maven.lifecycle.mapping.Lifecycle;
import org.apache.maven.lifecycle.mapping.LifecycleMapping;
import org.apache.maven.lifecycle.mapping.LifecyclePhase;

/**
 * The {@code itsvc} packaging: which goals run in which phase of the default lifecycle for a service project whose
 * POM says {@code <packaging>itsvc</packaging>} and loads this plugin with {@code <extensions>true</extensions>}.
 *
 * <p>The mapping grows as goals are built: a phase whose goal does not exist yet has no binding, so {@code mvn verify}
 * runs what exists and nothing pretends to work. {@code LifecycleMappingTest} pins every goal's phase against the
 * generated plugin descriptor.
 */
@Singleton
@Named(ItsvcLifecycleMappingProvider.PACKAGING)
public final class ItsvcLifecycleMappingProvider implements Provider<LifecycleMapping> {

    public static final String PACKAGING = "itsvc";

    /** Our own goals carry no version: Maven takes the one the service POM declares for this plugin. */
    private static final String ITSVC = "io.github.itsvc:itsvc-maven-plugin:";

    /** Phase to goals (comma-separated), in lifecycle order. */
    static final Map<String, String> PHASES = phases();

    private static Map<String, String> phases() {
        Properties versions = versions();
        String resources = maven("resources", versions);
        String compiler = maven("compiler", versions);
        String failsafe = maven("failsafe", versions);
        Map<String, String> phases = new LinkedHashMap<>();
        phases.put("validate", ITSVC + "validate," + ITSVC + "verify-binaries");
        phases.put("generate-resources", ITSVC + "render-config");
        // The service's own deployment tests (src/test/java), run by failsafe against the provisioned site.
        phases.put("process-test-resources", resources + "testResources");
        phases.put("test-compile", compiler + "testCompile");
        phases.put("package", ITSVC + "bundle");
        phases.put("pre-integration-test", ITSVC + "provision");
        phases.put("integration-test", ITSVC + "test-deployment," + failsafe + "integration-test");
        phases.put("post-integration-test", ITSVC + "destroy");
        phases.put("verify", ITSVC + "verify-deployment," + failsafe + "verify");
        phases.put("install", maven("install", versions) + "install");
        // The bundle first (a -SNAPSHOT, deployed again at will), then the release: a release that refuses (uncommitted
        // changes, no passing test of this configuration) has published nothing that cannot be published again.
        phases.put("deploy", maven("deploy", versions) + "deploy," + ITSVC + "release");
        return Collections.unmodifiableMap(phases);
    }

    /** {@code org.apache.maven.plugins:maven-<name>-plugin:<version>:}, the version from the parent POM. */
    private static String maven(String name, Properties versions) {
        String version = versions.getProperty(name + "-plugin.version");
        if (version == null || version.startsWith("$")) {
            throw new IllegalStateException("itsvc-maven-plugin is broken: no version for maven-" + name + "-plugin");
        }
        return "org.apache.maven.plugins:maven-" + name + "-plugin:" + version + ":";
    }

    private static Properties versions() {
        Properties versions = new Properties();
        try (InputStream in = ItsvcLifecycleMappingProvider.class.getResourceAsStream("lifecycle.properties")) {
            versions.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("itsvc-maven-plugin is broken: lifecycle.properties is unreadable", e);
        }
        return versions;
    }

    private final LifecycleMapping mapping;

    public ItsvcLifecycleMappingProvider() {
        Map<String, LifecyclePhase> lifecyclePhases = new LinkedHashMap<>();
        PHASES.forEach((phase, goals) -> lifecyclePhases.put(phase, new LifecyclePhase(goals)));
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.setId("default");
        lifecycle.setLifecyclePhases(lifecyclePhases);
        this.mapping = new DefaultLifecycleMapping(List.of(lifecycle));
    }

    @Override
    public LifecycleMapping get() {
        return mapping;
    }
}
