package dev.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void keepsWellFormedIdsAndReplacesOthers() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        for (String bad : new String[] {null, "", "has space", "a\"b", "x".repeat(129), "ü"}) {
            assertThat(RequestIds.acceptOrGenerate(bad)).as(String.valueOf(bad)).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void generatesDistinctIds() {
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
    }
}
