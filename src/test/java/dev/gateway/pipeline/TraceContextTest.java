package dev.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String VALID = "00-" + TRACE + "-00f067aa0ba902b7-01";

    @Test
    void aValidTraceparentIsContinuedWithANewParentIdAndTheSameFlags() {
        TraceContext t = TraceContext.of(VALID);
        assertThat(t.continued()).isTrue();
        assertThat(t.traceId()).isEqualTo(TRACE);
        assertThat(t.traceparent()).matches("00-" + TRACE + "-[0-9a-f]{16}-01").isNotEqualTo(VALID);
        assertThat(TraceContext.of("00-" + TRACE + "-00f067aa0ba902b7-00").traceparent()).endsWith("-00");
    }

    @Test
    void aLaterVersionIsReadByItsVersion00FieldsAndSentOnAsVersion00() {
        TraceContext t = TraceContext.of("cc-" + TRACE + "-00f067aa0ba902b7-01-what-the-future-adds");
        assertThat(t.continued()).isTrue();
        assertThat(t.traceparent()).startsWith("00-" + TRACE + "-");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "garbage", "00-" + TRACE + "-00f067aa0ba902b7-01-extra", "ff-" + TRACE + "-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-" + TRACE + "-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-0g",
        "00_" + TRACE + "-00f067aa0ba902b7-01", "cc-" + TRACE + "-00f067aa0ba902b7-01x"})
    void anInvalidTraceparentStartsANewSampledTrace(String header) {
        TraceContext t = TraceContext.of(header);
        assertThat(t.continued()).isFalse();
        assertThat(t.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
        assertThat(t.traceparent()).matches("00-" + t.traceId() + "-[0-9a-f]{16}-01");
    }

    @Test
    void noTraceparentStartsANewTraceEachTime() {
        assertThat(TraceContext.of(null).traceId()).isNotEqualTo(TraceContext.of(null).traceId());
        assertThat(TraceContext.of(null).continued()).isFalse();
    }
}
