package dev.gateway.observe;

import java.util.concurrent.ThreadLocalRandom;

/** Accepts a client's X-Request-Id when well-formed (1-128 of [A-Za-z0-9._:-]) or makes a random 128-bit one. */
public final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String acceptOrGenerate(String offered) {
        return acceptOr(offered, null);
    }

    /** The client's id when well formed, else {@code fresh} (an id already made for this request) or a new one. */
    public static String acceptOr(String offered, String fresh) {
        if (offered != null && wellFormed(offered)) return offered;
        return fresh != null ? fresh : generate();
    }

    static boolean wellFormed(String id) {
        int n = id.length();
        if (n == 0 || n > 128) return false;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }
}
