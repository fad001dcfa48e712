package dev.gateway.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/** Deep, unmodifiable copies of parsed JSON (nulls kept), so a verified token's claims cannot be changed by anyone. */
final class PlainClaims {
    private PlainClaims() {
    }

    static Map<String, Object> copy(Map<String, ?> json) {
        Map<String, Object> copy = new LinkedHashMap<>();
        json.forEach((name, value) -> copy.put(name, value(value)));
        return Collections.unmodifiableMap(copy);
    }

    /** The JSON text of a claim value ({@code null} for null), through nimbus so it reads as the token's JSON did. */
    static String json(Object value) {
        if (value == null) return "null";
        String wrapped = JSONObjectUtils.toJSONString(Map.of("v", value));
        return wrapped.substring("{\"v\":".length(), wrapped.length() - 1);
    }

    private static Object value(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((name, v) -> copy.put(String.valueOf(name), value(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(value(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
