package dev.gateway.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Request headers no client may send upstream: the identity headers the gateway sets itself and the
 * {@code strip-headers} list. Entries are lower-case names, or prefixes ending in {@code *} ({@code x-internal-*}).
 * Immutable and thread-safe.
 */
public final class HeaderStrip {
    public static final HeaderStrip NONE = new HeaderStrip(List.of());

    private final Set<String> names = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    public HeaderStrip(Collection<String> entries) {
        for (String e : entries) {
            if (e.endsWith("*")) {
                prefixes.add(e.substring(0, e.length() - 1));
            } else {
                names.add(e);
            }
        }
    }

    /** Whether a request header with this lower-case name is removed before the request goes upstream. */
    boolean strips(String lowerName) {
        if (names.contains(lowerName)) return true;
        for (String p : prefixes) {
            if (lowerName.startsWith(p)) return true;
        }
        return false;
    }
}
