package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {

    private static final List<String> ROLE_KEYS = ServiceBinder.ROLE_KEYS;

    @ParameterizedTest
    @CsvSource({
        "cont, count",
        "conut, count",
        "Count, count",
        "depends_on, dependsOn",
        "dependson, dependsOn",
        "depend, dependsOn",
        "flavour, flavor",
        "imag, image",
        "check, checks",
        "instal, install",
    })
    void findsTheLikelyKey(String typo, String meant) {
        assertThat(Suggestions.closest(typo, ROLE_KEYS)).isEqualTo(meant);
    }

    @ParameterizedTest
    @CsvSource({"systemd", "x", "environment", "healthcheck"})
    void suggestsNothingForUnrelatedWords(String word) {
        assertThat(Suggestions.closest(word, ROLE_KEYS)).isNull();
        assertThat(Suggestions.didYouMean(word, ROLE_KEYS)).isEmpty();
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertThat(Suggestions.distance("nmae", "name")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void listsCandidatesQuoted() {
        assertThat(Suggestions.list(List.of("a", "b"))).isEqualTo("'a', 'b'");
        assertThat(Suggestions.list(List.of())).isEqualTo("(none)");
        assertThat(Suggestions.didYouMean("nmae", List.of("name"))).isEqualTo("did you mean 'name'? ");
    }

    @Test
    void locationPrintsLikeACompilerMessage() {
        assertThat(new Location("a/b.yaml", 3, 7)).hasToString("a/b.yaml:3:7");
        assertThat(Location.of("a/b.yaml")).hasToString("a/b.yaml:1:1");
        assertThat(Location.fileOnly("a/sites")).hasToString("a/sites");
    }
}
