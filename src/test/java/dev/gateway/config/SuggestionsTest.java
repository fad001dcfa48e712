package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
    private static final List<String> ROUTE_KEYS = RouteBinder.KEYS;

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {
            "rewite, rewrite", "rewirte, rewrite", "stripPrefix, strip-prefix", "strip_prefix, strip-prefix",
            "upstreams, upstream", "method, methods", "Path, path", "max-body, max-body-size", "hosts, host",
            "colour, none", "nme, name", "x, none", "timeout, none"})
    void suggestsCloseKeys(String word, String expected) {
        assertThat(Suggestions.closest(word, ROUTE_KEYS).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {"prot, port", "max, none", "max-header, max-header-size", "hots, host"})
    void suggestsListenKeys(String word, String expected) {
        assertThat(Suggestions.closest(word, ListenBinder.KEYS).orElse(null)).isEqualTo(expected);
    }
}
