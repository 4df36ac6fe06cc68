package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "2m, 120000",
        "1h, 3600000",
        "1m30s, 90000",
        "1h2m3s4ms, 3723004",
        "90s, 90000",
        "0m5s, 5000",
    })
    void parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "120 | has no unit",
        "'' | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "30s1m | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "2 minutes | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "1.5s | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "-5s | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "10S | is not a duration like 500ms, 30s, 2m, 1h or 1m30s",
        "0s | is zero",
        "0h0m | is zero",
        "99999999999999999999h | is too long",
        "9999999999999999h | is too long",
    })
    void refuses(String text, String reason) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "30s", "2m", "1h", "1m30s", "1h2m3s4ms", "25h"})
    void formatsWhatItParses(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"90000, 1m30s", "0, 0s", "1500, 1s500ms"})
    void formatsTheShortestForm(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "1m30s", "1h2m3s4ms"})
    void schemaPatternAgreesWithTheParser(String text) {
        assertThat(text).matches(Durations.REGEX);
    }
}
