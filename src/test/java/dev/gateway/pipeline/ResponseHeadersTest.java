package dev.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {
    @Test
    void aRepeatedNameKeepsEveryValueInOrder() {
        WritableHeaders<?> headers = WritableHeaders.create();
        ResponseHeaders.add(headers, "Set-Cookie", "a=1");
        ResponseHeaders.add(headers, "set-cookie", "b=2");
        ResponseHeaders.add(headers, "Set-Cookie", "c=3");
        ResponseHeaders.add(headers, "X-Custom", "x");
        ResponseHeaders.add(headers, "X-Custom", "y");
        assertThat(headers.get(HeaderNames.SET_COOKIE).allValues()).containsExactly("a=1", "b=2", "c=3");
        assertThat(headers.get(HeaderNames.create("x-custom")).allValues()).containsExactly("x", "y");
    }

    @Test
    void aValueJoinsOnesSetBefore() {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.add(HeaderValues.create("Vary", "Origin"));
        ResponseHeaders.add(headers, "Vary", "Accept-Encoding");
        assertThat(headers.get(HeaderNames.VARY).allValues()).containsExactly("Origin", "Accept-Encoding");
    }
}
