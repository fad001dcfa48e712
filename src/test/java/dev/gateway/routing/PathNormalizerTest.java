package dev.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathNormalizerTest {

    @ParameterizedTest
    @CsvSource({
            "/%41%62%63, /Abc",
            "/%7e%2D%2e%5F, /~-._",
            "/a%2fb, /a%2Fb",
            "/a%2Fb, /a%2Fb",
            "/%20x, /%20x",
            "/%e2%82%ac, /%E2%82%AC",
            "/a/./b, /a/b",
            "/a/b/../c, /a/c",
            "/a/b/.., /a/",
            "/a/., /a/",
            "/., /",
            "/a/.., /",
            "/a/%2e%2e/b, /b",
            "/a/%2E./b, /b",
            "/a/.%2e, /",
            "/a/%2e/b, /a/b",
            "/a//b, /a//b",
            "/a/b/, /a/b/",
            "//, //",
            "/a//../b, /a/b",
            "/a/..b/.c, /a/..b/.c",
            "/a.b/c., /a.b/c.",
            "/..., /...",
    })
    void normalizes(String raw, String expected) throws InvalidPathException {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/b", "/a//b/", "/a/b.c/.d/..e", "/a/%2F", "/x?"})
    void returnsTheSameInstanceWhenAlreadyCanonical(String raw) throws InvalidPathException {
        assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
    }

    @Test
    void returnsTheInputWhenEscapesAreAlreadyCanonical() throws InvalidPathException {
        String raw = "/a%2Fb/%20";
        assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/../..", "/%2e%2e", "/a/%2E%2E/../x", "/./.."})
    void rejectsClimbingAboveTheRoot(String raw) {
        assertThatThrownBy(() -> PathNormalizer.normalize(raw))
                .isInstanceOf(InvalidPathException.class).hasMessage("path climbs above the root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/a%", "/a%4", "/%G1", "/%1G", "/%%41"})
    void rejectsMalformedEscapes(String raw) {
        assertThatThrownBy(() -> PathNormalizer.normalize(raw))
                .isInstanceOf(InvalidPathException.class).hasMessage("malformed percent-escape in path");
    }

    @Test
    void rejectsBackslashControlCharactersAndRelativePaths() {
        assertThatThrownBy(() -> PathNormalizer.normalize("/a\\b"))
                .isInstanceOf(InvalidPathException.class).hasMessage("backslash not allowed in path");
        assertThatThrownBy(() -> PathNormalizer.normalize("/a\tb"))
                .isInstanceOf(InvalidPathException.class).hasMessage("control character in path");
        assertThatThrownBy(() -> PathNormalizer.normalize("/a\u007f"))
                .isInstanceOf(InvalidPathException.class).hasMessage("control character in path");
        assertThatThrownBy(() -> PathNormalizer.normalize("a/b"))
                .isInstanceOf(InvalidPathException.class).hasMessage("path must start with '/'");
        assertThatThrownBy(() -> PathNormalizer.normalize(""))
                .isInstanceOf(InvalidPathException.class).hasMessage("path must start with '/'");
    }

    @Test
    void keepsAnEncodedBackslashOrNulEncoded() throws InvalidPathException {
        assertThat(PathNormalizer.normalize("/a%5cb%00")).isEqualTo("/a%5Cb%00");
    }
}
