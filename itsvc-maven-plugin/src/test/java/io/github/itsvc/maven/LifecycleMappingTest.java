package io.github.itsvc.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.lifecycle.mapping.LifecycleMapping;
import org.apache.maven.lifecycle.mapping.LifecycleMojo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Pins the {@code itsvc} packaging: each goal runs in the phase DESIGN.md gives it, the lifecycle mapping and the
 * generated plugin descriptor agree, and no built goal with a default phase is left out of the mapping.
 */
class LifecycleMappingTest {

    private static final String ITSVC = "io.github.itsvc:itsvc-maven-plugin:";

    /** The goals the packaging binds, and where. Changing this is a change of the product: update DESIGN/README. */
    private static final Map<String, String> EXPECTED = Map.of(
            "validate", "validate",
            "verify-binaries", "validate",
            "render-config", "generate-resources",
            "bundle", "package",
            "provision", "pre-integration-test",
            "test-deployment", "integration-test",
            "destroy", "post-integration-test",
            "verify-deployment", "verify",
            "release", "deploy");

    /** Goals only run from a terminal (mvn itsvc:...), never bound by the packaging. */
    private static final Set<String> COMMAND_LINE_ONLY = Set.of("pin", "help", "status", "promote", "sync", "share",
            "catalog", "upgrade");

    private static Map<String, String> descriptorPhases;
    private static Map<String, String> mappingPhases;

    @BeforeAll
    static void read() throws Exception {
        descriptorPhases = readDescriptor(Path.of("target/classes/META-INF/maven/plugin.xml"));
        LifecycleMapping mapping = new ItsvcLifecycleMappingProvider().get();
        mappingPhases = new LinkedHashMap<>();
        mapping.getLifecycles().get("default").getLifecyclePhases().forEach((phase, goals) -> {
            for (LifecycleMojo mojo : goals.getMojos()) {
                if (mojo.getGoal().startsWith(ITSVC)) {
                    mappingPhases.put(mojo.getGoal().substring(ITSVC.length()), phase);
                }
            }
        });
    }

    @Test
    void packagingBindsEachGoalInItsPhase() {
        assertThat(mappingPhases).containsExactlyInAnyOrderEntriesOf(EXPECTED);
    }

    @Test
    void descriptorDeclaresTheSamePhases() {
        mappingPhases.forEach((goal, phase) ->
                assertThat(descriptorPhases).as("plugin.xml default phase of %s", goal).containsEntry(goal, phase));
    }

    @Test
    void everyGoalWithADefaultPhaseIsBound() {
        descriptorPhases.forEach((goal, phase) -> {
            // The site lifecycle's reports (itsvc-report) are listed under <reporting>, not bound by a packaging.
            if (!phase.isEmpty() && !List.of("pre-site", "site", "post-site", "site-deploy").contains(phase)) {
                assertThat(mappingPhases).as("goal %s (default phase %s) is not bound by the itsvc packaging", goal,
                        phase).containsKey(goal);
            }
        });
    }

    @Test
    void goalsWithoutAPhaseAreExactlyTheCommandLineOnes() {
        assertThat(descriptorPhases.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(COMMAND_LINE_ONLY);
    }

    @Test
    void theServicesOwnTestsRunThroughFailsafeAgainstTheDeployment() {
        var phases = new ItsvcLifecycleMappingProvider().get().getLifecycles().get("default").getLifecyclePhases();
        assertThat(phases.get("test-compile").toString()).contains("maven-compiler-plugin").endsWith(":testCompile");
        // After test-deployment (endpoints known) and before destroy; failsafe's verify after verify-deployment.
        assertThat(phases.get("integration-test").toString())
                .matches(ITSVC + "test-deployment,org.apache.maven.plugins:maven-failsafe-plugin:[\\d.]+:integration-test");
        assertThat(phases.get("verify").toString())
                .matches(ITSVC + "verify-deployment,org.apache.maven.plugins:maven-failsafe-plugin:[\\d.]+:verify");
    }

    @Test
    void installAndDeployPublishTheBundle() {
        var phases = new ItsvcLifecycleMappingProvider().get().getLifecycles().get("default").getLifecyclePhases();
        // Versions come from the parent POM's properties, filtered in: never a literal "${...}".
        assertThat(phases.get("install").toString()).matches("org.apache.maven.plugins:maven-install-plugin:\\d+(\\.\\d+)+:install");
        // mvn deploy also releases: the bundle first, then the tag and the first channel.
        assertThat(phases.get("deploy").toString()).matches("org.apache.maven.plugins:maven-deploy-plugin:\\d+(\\.\\d+)+:deploy,"
                + ITSVC + "release");
        assertThat(new ItsvcArtifactHandlerProvider().get().getExtension()).isEqualTo("zip");
    }

    /** Goal name to default phase ("" when none) from the generated descriptor. */
    private static Map<String, String> readDescriptor(Path pluginXml) throws Exception {
        assertThat(pluginXml).as("generated by maven-plugin-plugin in process-classes").exists();
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pluginXml)) {
            var doc = factory.newDocumentBuilder().parse(in);
            assertThat(doc.getDocumentElement().getElementsByTagName("goalPrefix").item(0).getTextContent())
                    .isEqualTo("itsvc");
            NodeList mojos = doc.getElementsByTagName("mojo");
            Map<String, String> phases = new LinkedHashMap<>();
            for (int i = 0; i < mojos.getLength(); i++) {
                Element mojo = (Element) mojos.item(i);
                phases.put(text(mojo, "goal"), text(mojo, "phase"));
            }
            return phases;
        }
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode() == parent) {
                return nodes.item(i).getTextContent().trim();
            }
        }
        return "";
    }
}
