package org.tcpip4j.netif;

/**
 * An IPv4 address with its prefix length, such as 198.18.0.1/24: an interface address and
 * the subnet it is on.
 *
 * @param address the address
 * @param prefix the prefix length, 0 to 32
 */
public record Ipv4Cidr(Ipv4Address address, int prefix) {

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length out of 0..32: " + prefix);
        }
    }

    /** Parses {@code a.b.c.d/p}. */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/prefix): " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/prefix): " + text, e);
        }
        return new Ipv4Cidr(Ipv4Address.parse(text.substring(0, slash)), prefix);
    }

    /** The netmask as an int. */
    public int mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The network address. */
    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & mask());
    }

    /** The subnet's broadcast address. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~mask());
    }

    /** True when {@code other} lies in this subnet. */
    public boolean contains(Ipv4Address other) {
        return ((other.bits() ^ address.bits()) & mask()) == 0;
    }

    /** True when the raw address {@code bits} lies in this subnet. */
    public boolean contains(int bits) {
        return ((bits ^ address.bits()) & mask()) == 0;
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
