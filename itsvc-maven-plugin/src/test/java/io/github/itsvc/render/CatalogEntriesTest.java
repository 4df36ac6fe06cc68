package io.github.itsvc.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.catalog.Catalog;
import io.github.itsvc.io.FileTrees;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog entry of itsvc-templates, as the archetype generates it: its definition is valid (schema and rules),
 * its dev and live sites render exactly as the reviewed golden files in
 * {@code src/test/resources/catalog/golden/<entry>/<site>/}, and every live user-data passes {@code cloud-init
 * schema}. The ITs (src/it/catalog-*) bring each entry up and use it. After an intended change:
 * {@code ./mvnw -pl itsvc-maven-plugin -am test -Dtest=CatalogEntriesTest -Ditsvc.updateGolden=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CatalogEntriesTest {

    static List<String> entries() throws Exception {
        return catalog().entries().stream().filter(e -> e.project() != null).map(Catalog.Entry::name).toList();
    }

    static Catalog catalog() throws Exception {
        return Catalog.load(CatalogEntriesTest.class.getClassLoader());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void entryIsValidRendersAsItsGoldenFilesAndItsUserDataIsValid(String name, @TempDir Path dir) throws Exception {
        Catalog catalog = catalog();
        Path project = dir.resolve(name);
        Map<String, byte[]> files = catalog.projectFiles(catalog.entry(name).orElseThrow());
        assertThat(files).containsKeys("pom.xml", "README.md", "itsvc.lock", "src/main/itsvc/service.yaml",
                "src/main/itsvc/sites/dev.yaml", "src/main/itsvc/sites/live.yaml");
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path to = project.resolve(file.getKey());
            Files.createDirectories(to.getParent());
            // What the archetype does for the one property a definition uses.
            Files.writeString(to, new String(file.getValue(), StandardCharsets.UTF_8).replace("${serviceName}", name));
        }
        DefinitionReader reader = new DefinitionReader(project, project.resolve("src/main/itsvc"));
        Service service = reader.readService();
        assertThat(service.name()).isEqualTo(name);

        for (String siteName : List.of("dev", "live")) {
            Site site = reader.readSite(siteName);
            Rendering rendering = Fixtures.renderer(project).render(service, site, dir.resolve("out-" + siteName));
            Map<String, byte[]> actual = Fixtures.tree(rendering.siteDir());
            Path golden = Fixtures.moduleDir().resolve("src/test/resources/catalog/golden").resolve(name)
                    .resolve(siteName);
            if (GoldenFilesTest.UPDATE) {
                FileTrees.delete(golden);
                for (Map.Entry<String, byte[]> e : actual.entrySet()) {
                    Files.createDirectories(golden.resolve(e.getKey()).getParent());
                    Files.write(golden.resolve(e.getKey()), e.getValue());
                }
                System.out.println("[golden] rewrote " + golden + ": review the diff before committing");
            }
            Map<String, byte[]> expected = Fixtures.tree(golden);
            assertThat(actual.keySet()).as("files rendered for %s %s (golden: %s)", name, siteName, golden)
                    .containsExactlyElementsOf(expected.keySet());
            for (String file : new TreeSet<>(expected.keySet())) {
                assertThat(new String(actual.get(file), StandardCharsets.UTF_8))
                        .as("%s of %s differs from its golden file; if intended, rerun with -Ditsvc.updateGolden=true",
                                file, name)
                        .isEqualTo(new String(expected.get(file), StandardCharsets.UTF_8));
            }
            for (String file : actual.keySet().stream().filter(f -> f.endsWith("/cloud-init/user-data")).toList()) {
                CloudInitSchemaTest.Result result = CloudInitSchemaTest.schema(CloudInitSchemaTest.CLOUD_INIT,
                        rendering.siteDir().resolve(file));
                assertThat(result.exit()).as("cloud-init schema on %s of %s:%n%s", file, name, result.output()).isZero();
            }
        }
    }
}
