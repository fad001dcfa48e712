package dev.gateway.cors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerializedOriginTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "https://app.example.com      | https://app.example.com",
            "HTTPS://App.Example.COM      | https://app.example.com",
            "http://a:80                  | http://a",
            "http://a:080                 | http://a",
            "https://a:443                | https://a",
            "http://a:443                 | http://a:443",
            "https://a:80                 | https://a:80",
            "wss://a:443                  | wss://a",
            "http://[::1]:8080            | http://[::1]:8080",
            "http://[::1]:80              | http://[::1]",
            "http://[::1]                 | http://[::1]",
            "null                         | null",
            "\" https://a \"                | https://a",
            "NULL                         | ",
            "https://a/                   | ",
            "https://a?x                  | ",
            "https://u@a                  | ",
            "https://a:                   | ",
            "https://a:65536              | ",
            "https://a:b:1                | ",
            "https://                     | ",
            "a.example                    | ",
            "1http://a                    | ",
            "https://a, https://b         | ",
    })
    void normalises(String origin, String key) {
        assertThat(SerializedOrigin.key(origin).orElse(null)).isEqualTo(key);
    }
}
