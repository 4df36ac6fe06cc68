package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad fixture reports exactly the problems its header lists, where it says, each with a fix. */
class BadFixturesTest {

    @TempDir
    Path project;

    static List<Fixture> badServices() {
        return Fixture.all("service/bad");
    }

    static List<Fixture> badSites() {
        return Fixture.all("site/bad");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServices")
    void serviceFixture(Fixture fixture) {
        Path definition = fixture.installAs(project, "service.yaml");
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> new DefinitionReader(project, definition).readService());
        assertProblems(fixture, e, "src/main/itsvc/service.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSites")
    void siteFixture(Fixture fixture) {
        Path definition = fixture.installAs(project, "sites/" + fixture.name() + ".yaml");
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> new DefinitionReader(project, definition).readSite(fixture.name()));
        assertProblems(fixture, e, "src/main/itsvc/sites/" + fixture.name() + ".yaml");
    }

    @Test
    void thereAreManyBadFixturesAndEachDeclaresItsProblemsAndSchemaVerdict() {
        assertThat(badServices()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(badSites()).hasSizeGreaterThanOrEqualTo(8);
        for (Fixture f : concat(badServices(), badSites())) {
            assertThat(f.expected()).as(f + " expectations").isNotEmpty();
            assertThat(f.schema()).as(f + " schema verdict").isIn("valid", "invalid", "n/a");
        }
    }

    private static void assertProblems(Fixture fixture, InvalidInputException e, String file) {
        assertThat(e).as(fixture + " must fail").isNotNull();
        List<String> actual = e.problems().stream()
                .map(p -> p.location() + " " + p.message())
                .toList();
        List<String> expected = fixture.expected().stream()
                .map(x -> file + ":" + x.position() + " " + x.message())
                .toList();
        assertThat(actual).as(fixture.toString()).containsExactlyElementsOf(expected);
        for (int i = 0; i < expected.size(); i++) {
            Problem problem = e.problems().get(i);
            assertThat(problem.fix()).as("fix of " + problem).isNotBlank().doesNotContain("\n");
            assertThat(problem.message()).doesNotContain("\n");
            for (String part : fixture.expected().get(i).fixParts()) {
                assertThat(problem.fix()).as("fix of " + problem).contains(part);
            }
        }
    }

    private static List<Fixture> concat(List<Fixture> a, List<Fixture> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
