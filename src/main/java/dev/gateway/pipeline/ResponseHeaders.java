package dev.gateway.pipeline;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

/** Adds response headers in the form that costs Helidon least, keeping every value of a name that repeats. */
public final class ResponseHeaders {
    private ResponseHeaders() {
    }

    /**
     * Adds {@code name: value} as a cached (not writable) value, which Helidon neither copies when it is added nor
     * again when the head is written; a name already there keeps its earlier values.
     */
    public static void add(WritableHeaders<?> headers, String name, String value) {
        headers.add(HeaderValues.createCached(HeaderNames.create(name), value));
    }
}
