package org.tcpip4j.netif;

/**
 * An IPv6 prefix (RFC 4291 2.3): an address and the length of its network part, such as
 * {@code 2001:2::/48}. The address is kept as given (an interface address with its prefix);
 * {@link #network()} clears the host bits.
 *
 * @param address the address
 * @param prefix the prefix length, 0..128
 */
public record Ipv6Cidr(Ipv6Address address, int prefix) {

    /** Checks the prefix length. */
    public Ipv6Cidr {
        java.util.Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("an IPv6 prefix length is in 0..128, not " + prefix);
        }
    }

    /** Parses {@code ADDRESS/PREFIX}. */
    public static Ipv6Cidr parse(String text) {
        String s = text.trim();
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an IPv6 prefix (ADDRESS/LENGTH): " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv6 prefix (the length is not a number): " + text, e);
        }
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("not an IPv6 prefix (the length is in 0..128): " + text);
        }
        return new Ipv6Cidr(Ipv6Address.parse(s.substring(0, slash)), prefix);
    }

    /** The high 64 bits of the mask. */
    private long maskHigh() {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    /** The low 64 bits of the mask. */
    private long maskLow() {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    /** The prefix itself: the address with its host bits cleared. */
    public Ipv6Address network() {
        return new Ipv6Address(address.high() & maskHigh(), address.low() & maskLow());
    }

    /** True when {@code other} lies in this prefix (zones are not compared). */
    public boolean contains(Ipv6Address other) {
        return ((other.high() ^ address.high()) & maskHigh()) == 0 && ((other.low() ^ address.low()) & maskLow()) == 0;
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
