package dev.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostHeaderTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "api.example.com", "api.example.com:443", "127.0.0.1", "127.0.0.1:1", "x:65535",
        "555.555.555.555", "[::1]", "[::1]:8080", "[2001:db8::7]", "[::ffff:192.0.2.1]:80", "ex%41mple", "a-b_c~d",
        "!$&'()*+,;="})
    void authoritiesAreValid(String host) {
        assertThat(HostHeader.valid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {":80", "a:", "a:x", "a:-1", "a:+1", "a:65536", "a:000000", "a b", "a/b", "a?b", "a#b",
        "u@a", "a\"b", "a%", "a%4", "a%zz", "[::1", "::1]", "[zz]", "[::1]x", "[::1]:", "[::1]:x", "caf\u00e9",
        "a:80:80"})
    void othersAreNot(String host) {
        assertThat(HostHeader.valid(host)).isFalse();
    }
}
