package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0", "1, 1", "1024, 1024", "10B, 10", "1KiB, 1024", "16KiB, 16384", "10MiB, 10485760",
            "2GiB, 2147483648", "1KB, 1000", "10MB, 10000000", "3GB, 3000000000", "8589934591GiB, 9223372035781033984"})
    void parses(String text, long expected) {
        assertThat(Sizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10mb", "10kib", "1.5KiB", "10 MiB", "-1", "+1", "MiB", "", "10MiB ", "1TiB", "10M",
            "10k", "1e6"})
    void rejects(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid size '" + text
                        + "' (expected bytes or a number with a unit: 512KiB, 10MiB, 1GiB, 500KB, 10MB)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9223372036854775808", "8589934592GiB", "99999999999999999999KB"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).hasMessage("size '" + text + "' is too large");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0B", "1, 1B", "1500, 1500B", "1000, 1KB", "1024, 1KiB", "16384, 16KiB", "10485760, 10MiB",
            "2147483648, 2GiB", "3000000000, 3GB", "1536, 1536B", "1048576000, 1000MiB"})
    void formats(long bytes, String expected) {
        assertThat(Sizes.format(bytes)).isEqualTo(expected);
        if (bytes > 0) assertThat(Sizes.parse(expected)).isEqualTo(bytes);
    }
}
