package dev.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code ::1/128}, or one address without a prefix). Parsing
 * accepts address literals only, so it never looks a name up. Immutable.
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code text}; throws IllegalArgumentException with a message fit for a config error. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("invalid address block '" + text + "' (expected an IP address or CIDR"
                    + " such as 10.0.0.0/8 or ::1/128)");
        }
        byte[] bytes = parsed.getAddress();
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
                throw new IllegalArgumentException("invalid prefix length in '" + text + "' (0 to " + max + ")");
            }
            prefix = Integer.parseInt(bits);
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + text + "' has host bits set (did you mean "
                        + mask(bytes, prefix) + "/" + prefix + "?)");
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** An address literal (IPv4 dotted quad or IPv6), never a name lookup; null when {@code text} is not one. */
    public static InetAddress literal(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) return null;
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // in brackets the JDK parses an IPv6 literal or fails; it never falls back to a name lookup
            return IPV6.matcher(text).matches() ? InetAddress.getByName("[" + text + "]") : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) return false;
        for (int bit = 0; bit < prefix; bit += 8) {
            int bits = Math.min(8, prefix - bit);
            int mask = (0xff << (8 - bits)) & 0xff;
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
        }
        return true;
    }

    private static String mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) masked[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        try {
            return InetAddress.getByAddress(masked).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
