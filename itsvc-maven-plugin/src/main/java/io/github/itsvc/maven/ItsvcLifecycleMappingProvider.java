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
        Map<String, String> phases = new LinkedHashMap<>();
        phases.put("validate", ITSVC + "validate," + ITSVC + "verify-binaries");
        phases.put("generate-resources", ITSVC + "render-config");
        phases.put("package", ITSVC + "bundle");
        phases.put("pre-integration-test", ITSVC + "provision");
        phases.put("integration-test", ITSVC + "test-deployment");
        phases.put("post-integration-test", ITSVC + "destroy");
        phases.put("verify", ITSVC + "verify-deployment");
        Properties versions = versions();
        phases.put("install", "org.apache.maven.plugins:maven-install-plugin:"
                + versions.getProperty("install-plugin.version") + ":install");
        phases.put("deploy", "org.apache.maven.plugins:maven-deploy-plugin:"
                + versions.getProperty("deploy-plugin.version") + ":deploy");
        return Collections.unmodifiableMap(phases);
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
