package org.tcpip4j.tck;

/**
 * The IP version a suite's stacks reach each other over: each concrete suite runs every
 * case once per version ({@code @ParameterizedClass}), its fixture giving the stacks
 * addresses of that version.
 */
public enum IpVersion {

    /** IPv4 (RFC 791). */
    IPV4(4, 65_507),
    /** IPv6 (RFC 8200). */
    IPV6(6, 65_527);

    private final int number;
    private final int maxUdpPayload;

    IpVersion(int number, int maxUdpPayload) {
        this.number = number;
        this.maxUdpPayload = maxUdpPayload;
    }

    /** 4 or 6, as {@code IpAddress.version()} gives it. */
    public int number() {
        return number;
    }

    /**
     * The largest UDP payload the version carries: 65,535 - 20 (IPv4 header) - 8 (UDP
     * header) over IPv4; 65,535 (the payload length, which excludes the IPv6 header) - 8
     * over IPv6, without jumbograms (RFC 2675).
     */
    public int maxUdpPayload() {
        return maxUdpPayload;
    }

    /** The version of an address: {@code IpAddress.version()} as an {@code IpVersion}. */
    public static IpVersion of(int number) {
        return switch (number) {
            case 4 -> IPV4;
            case 6 -> IPV6;
            default -> throw new IllegalArgumentException("no IP version " + number);
        };
    }

    @Override
    public String toString() {
        return "IPv" + number;
    }
}
