package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.itsvc.model.RelativePaths.InvalidPathException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativePathsTest {

    @ParameterizedTest
    @CsvSource({
        "opt/tomcat, opt/tomcat",
        "opt/tomcat/, opt/tomcat",
        "./opt//tomcat, opt/tomcat",
        "a/b/../c, a/c",
        "a/.., .",
        "., .",
        "..a/b, ..a/b",
        "a/...b, a/...b",
    })
    void normalizes(String raw, String normalized) {
        assertThat(RelativePaths.normalize(raw, "the root", true)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''               | is empty",
        "'  '             | is empty",
        "/etc/passwd      | is absolute",
        "//server/share   | is absolute",
        "C:/Windows       | is absolute",
        "c:x              | is absolute",
        "a\\b             | contains a backslash",
        "..               | escapes the root",
        "../x             | escapes the root",
        "a/../../x        | escapes the root",
        "a/./b/../../../c | escapes the root",
    })
    void refuses(String raw, String reason) {
        var e = catchThrowableOfType(InvalidPathException.class, () -> RelativePaths.normalize(raw, "the root", true));
        assertThat(e).hasMessage(reason);
        assertThat(e.fix).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource({"., ", "a/.., "})
    void refusesTheRootItselfWhereAFileIsNeeded(String raw) {
        var e = catchThrowableOfType(InvalidPathException.class, () -> RelativePaths.normalize(raw, "the root", false));
        assertThat(e).hasMessage("is the root itself, not a file in it");
    }

    @ParameterizedTest
    @CsvSource({"/opt/tomcat, 'write it relative to the root, like ''opt/tomcat'''", "/, write it relative to the root"})
    void suggestsTheRelativeForm(String raw, String fix) {
        var e = catchThrowableOfType(InvalidPathException.class, () -> RelativePaths.normalize(raw, "the root", false));
        assertThat(e.fix).isEqualTo(fix);
    }
}
