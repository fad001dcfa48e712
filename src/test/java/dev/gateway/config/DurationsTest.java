package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"250ms, PT0.25S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "0s, PT0S", "90m, PT1H30M",
            "0015s, PT15S", "1000ms, PT1S"})
    void parses(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"30", "1.5s", "30 s", "30sec", "", "s", "-5s", "+5s", "5S", "5M", "1d", "PT5S", "5s ",
            "1h30m"})
    void rejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '" + text + "' (expected a number with a unit: 250ms, 30s, 5m, 1h)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"99999999999999999999s", "9999999999999999h"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage("duration '" + text + "' is too large");
    }
}
