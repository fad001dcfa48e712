package dev.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context for one request: the trace it belongs to (the client's, when it sent a valid
 * {@code traceparent}, else a new sampled one) and the {@code traceparent} to send upstream, which names the
 * gateway's own hop as the parent. Immutable.
 *
 * @param traceId     32 lower-case hex digits, written in the access log
 * @param traceparent the header value for the upstream request: version 00, this trace, a new parent id
 * @param continued   whether the client's trace is continued (only then does its {@code tracestate} go on)
 */
public record TraceContext(String traceId, String traceparent, boolean continued) {
    /** Flags of a trace the gateway starts: sampled, so services sampling by their parent behave as without it. */
    static final String NEW_TRACE_FLAGS = "01";
    private static final String DIGITS = "0123456789abcdef";

    /** The context for a request that sent {@code header} as its traceparent (null when it sent none). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the hex digits' bytes as they are
    public static TraceContext of(String header) {
        String parsed = header == null ? null : valid(header.strip());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // the upstream's traceparent, built in place: 00-<trace id>-<the gateway's parent id>-<flags>
        byte[] b = new byte[55];
        b[0] = b[1] = '0';
        b[2] = b[35] = b[52] = '-';
        if (parsed != null) {
            parsed.getBytes(3, 35, b, 3);
            parsed.getBytes(53, 55, b, 53);
        } else {
            hex(b, 3, nonZero(random));
            hex(b, 19, random.nextLong());
            NEW_TRACE_FLAGS.getBytes(0, 2, b, 53);
        }
        hex(b, 36, nonZero(random));
        String traceparent = new String(b, StandardCharsets.ISO_8859_1);
        return new TraceContext(traceparent.substring(3, 35), traceparent, parsed != null);
    }

    /** Writes {@code v} as 16 lower-case hex digits at {@code at}. */
    private static void hex(byte[] b, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            b[at + i] = (byte) DIGITS.charAt((int) (v & 0xf));
            v >>>= 4;
        }
    }

    /**
     * {@code value} when it is a traceparent this gateway understands: version 00 exactly, or a later version whose
     * first four fields have the version-00 shape (later versions may append fields). Null otherwise.
     */
    static String valid(String value) {
        if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') return null;
        if (!hex(value, 0, 2) || !hex(value, 3, 35) || !hex(value, 36, 52) || !hex(value, 53, 55)) return null;
        String version = value.substring(0, 2);
        if (version.equals("ff")) return null;
        if (version.equals("00") ? value.length() != 55 : value.length() > 55 && value.charAt(55) != '-') return null;
        if (zeros(value, 3, 35) || zeros(value, 36, 52)) return null;
        return value;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') return false;
        }
        return true;
    }

    private static long nonZero(ThreadLocalRandom random) {
        long v;
        do {
            v = random.nextLong();
        } while (v == 0);
        return v;
    }
}
