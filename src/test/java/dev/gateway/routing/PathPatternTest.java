package dev.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "api/users         | path must start with '/'",
            "\"\"                | path must start with '/'",
            "/a/**/b           | '**' is only allowed as the last segment",
            "/**/**            | '**' is only allowed as the last segment",
            "/a/{id}/b/{id}    | variable {id} appears twice",
            "/v{x}             | segment 'v{x}' mixes text and a variable",
            "/{x}.json         | segment '{x}.json' mixes text and a variable",
            "/{a}{b}           | segment '{a}{b}' mixes text and a variable",
            "/{x               | segment '{x' has an unmatched brace",
            "/x}               | segment 'x}' has an unmatched brace",
            "/{}               | variable name '' must be letters, digits or '_' and not start with a digit",
            "/{1x}             | variable name '1x' must be letters, digits or '_' and not start with a digit",
            "/{a-b}            | variable name 'a-b' must be letters, digits or '_' and not start with a digit",
            "/a/               | trailing slash not allowed; use /a or /a/**",
            "/a//b             | empty segment ('//') not allowed",
            "//                | empty segment ('//') not allowed",
            "/a*               | segment 'a*' contains '*'; only a whole last segment '**' is a wildcard",
            "/*                | segment '*' contains '*'; only a whole last segment '**' is a wildcard",
            "/a%2              | segment 'a%2' has a malformed percent-escape",
            "/a%zz             | segment 'a%zz' has a malformed percent-escape",
            "/a/..             | dot segment '..' not allowed",
            "/%2e              | dot segment '%2e' not allowed",
            "/a?b              | '?' not allowed in segment 'a?b'",
            "/a b              | space not allowed in segment 'a b'",
    })
    void rejectsBadTemplates(String template, String message) {
        assertThatThrownBy(() -> PathPattern.parse(template))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parsesVariablesAndRest() {
        PathPattern p = PathPattern.parse("/api/{tenant}/users/{id_2}/**");
        assertThat(p.template()).isEqualTo("/api/{tenant}/users/{id_2}/**");
        assertThat(p.variables()).containsExactly("tenant", "id_2");
        assertThat(p.hasRest()).isTrue();
        assertThat(PathPattern.parse("/").variables()).isEmpty();
        assertThat(PathPattern.parse("/").hasRest()).isFalse();
        assertThat(PathPattern.parse("/**").hasRest()).isTrue();
        assertThat(PathPattern.parse("/a")).isEqualTo(PathPattern.parse("/a")).hasToString("/a");
    }

    @Test
    void matchesOnItsOwn() {
        PathPattern p = PathPattern.parse("/u/{id}/**");
        assertThat(p.match("/u/5")).contains(Map.of("id", "5", "**", ""));
        assertThat(p.match("/u/5/")).contains(Map.of("id", "5", "**", ""));
        assertThat(p.match("/u/5/a/b")).contains(Map.of("id", "5", "**", "a/b"));
        assertThat(p.match("/u/a%2Fb/c")).contains(Map.of("id", "a%2Fb", "**", "c"));
        assertThat(p.match("/u/")).isEmpty();
        assertThat(p.match("/u")).isEmpty();
        assertThat(PathPattern.parse("/").match("/")).contains(Map.of());
        assertThat(PathPattern.parse("/").match("/a")).isEmpty();
        assertThat(PathPattern.parse("/**").match("/")).contains(Map.of("**", ""));
        assertThat(PathPattern.parse("/a").match("/a/")).isEmpty();
        assertThat(PathPattern.parse("/{x}").match("/")).isEmpty();
    }

    @Test
    void literalsAreNormalizedLikeRequestPaths() {
        PathPattern p = PathPattern.parse("/%7euser/a%2fb");
        assertThat(p.match("/~user/a%2Fb")).isPresent();
        assertThat(p.template()).isEqualTo("/%7euser/a%2fb");
    }

    @Test
    void literalsAreCaseSensitive() {
        assertThat(PathPattern.parse("/Users").match("/users")).isEmpty();
    }

    @Test
    void isPrefixComparesLeadingSegments() {
        PathPattern of = PathPattern.parse("/api/{tenant}/users/**");
        assertThat(PathPattern.isPrefix(PathPattern.parse("/"), of)).isTrue();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api"), of)).isTrue();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/{tenant}"), of)).isTrue();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/{tenant}/users"), of)).isTrue();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/{t}"), of)).isFalse();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/x"), of)).isFalse();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/**"), of)).isFalse();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/{tenant}/users/x"), of)).isFalse();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/api/{tenant}/users/x/y"), of)).isFalse();
        assertThat(PathPattern.isPrefix(PathPattern.parse("/a/b"), PathPattern.parse("/a/b"))).isTrue();
    }
}
