package dev.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

/** Adds response headers in the form that costs Helidon least, keeping every value of a name that repeats. */
public final class ResponseHeaders {
    private ResponseHeaders() {
    }

    /**
     * Adds {@code name: value}. A name not there yet gets a cached (not writable) value: Helidon 4.2.6 copies a
     * writable one when it is added and again, into a list, when the head is written. A name already there is set
     * anew with all its values, since adding a value to a cached one in Helidon 4.2.6 keeps the new value twice and
     * loses the old one.
     */
    public static void add(WritableHeaders<?> headers, String name, String value) {
        HeaderName header = HeaderNames.create(name);
        if (!headers.contains(header)) {
            headers.set(HeaderValues.createCached(header, value));
            return;
        }
        List<String> values = new ArrayList<>(headers.get(header).allValues());
        values.add(value);
        headers.set(HeaderValues.create(header, values));
    }
}
