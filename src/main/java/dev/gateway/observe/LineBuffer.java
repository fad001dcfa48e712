package dev.gateway.observe;

import dev.gateway.pipeline.Json;

/**
 * A growable byte buffer that lines are written into as UTF-8: ASCII text, numbers, and JSON strings (quoted and
 * escaped by {@link Json#escape}, as {@link Json#string} writes them, then encoded). What a {@link LineWriter}'s
 * thread formats its items into, so a line is never a String first. Not thread-safe.
 */
final class LineBuffer {
    private byte[] bytes;
    private int size;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return bytes;
    }

    void clear() {
        size = 0;
    }

    /** Drops what was appended after the first {@code mark} bytes. */
    void truncate(int mark) {
        size = mark;
    }

    /** Appends one byte (an ASCII character). */
    LineBuffer ascii(char c) {
        room(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Appends text known to be ASCII (names, digits, formatted times). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): an ASCII string's bytes as they are
    LineBuffer ascii(String s) {
        room(s.length());
        s.getBytes(0, s.length(), bytes, size);
        size += s.length();
        return this;
    }

    /** Appends {@code n} in decimal. */
    LineBuffer number(long n) {
        if (n < 0) {
            if (n == Long.MIN_VALUE) return ascii(Long.toString(n));
            ascii('-');
            n = -n;
        }
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) digits++;
        room(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        size += digits;
        return this;
    }

    /** Appends {@code value} as a quoted JSON string, or {@code null}. */
    LineBuffer jsonString(String value) {
        if (value == null) return ascii("null");
        ascii('"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                room(1);
                bytes[size++] = (byte) c;
                continue;
            }
            String escaped = Json.escape(c);
            if (escaped != null) {
                ascii(escaped);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, value.charAt(++i)));
            } else {
                // a lone surrogate has no UTF-8 form: '?' as String.getBytes writes it
                utf8(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return ascii('"');
    }

    private void utf8(int cp) {
        room(4);
        if (cp < 0x80) {
            bytes[size++] = (byte) cp;
        } else if (cp < 0x800) {
            bytes[size++] = (byte) (0xc0 | cp >> 6);
            bytes[size++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            bytes[size++] = (byte) (0xe0 | cp >> 12);
            bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
            bytes[size++] = (byte) (0x80 | cp & 0x3f);
        } else {
            bytes[size++] = (byte) (0xf0 | cp >> 18);
            bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
            bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
            bytes[size++] = (byte) (0x80 | cp & 0x3f);
        }
    }

    private void room(int n) {
        if (size + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
}
