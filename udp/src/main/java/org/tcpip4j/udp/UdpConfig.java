package org.tcpip4j.udp;

/**
 * How a UDP layer sends.
 *
 * @param ephemeralFirst the lowest port a write without a source port may be sent from
 * @param ephemeralLast the highest such port; ports are drawn at random from
 *     {@code ephemeralFirst..ephemeralLast} (RFC 6056 3.3.1)
 * @param fragment whether a datagram larger than the path MTU is fragmented by the IP
 *     layer; when false it is sent with Don't Fragment set, and one that does not fit fails
 *     with {@code IpError.WouldFragment} (Linux's {@code IP_PMTUDISC_DO})
 */
public record UdpConfig(int ephemeralFirst, int ephemeralLast, boolean fragment) {

    /** IANA's dynamic range, 49152..65535 (RFC 6335 6), with fragmentation on. */
    public static final UdpConfig DEFAULT = new UdpConfig(49_152, 65_535, true);

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException unless {@code 1 <= ephemeralFirst <= ephemeralLast <= 65535}
     */
    public UdpConfig {
        if (ephemeralFirst < 1 || ephemeralFirst > 65_535) {
            throw new IllegalArgumentException("UdpConfig.ephemeralFirst must be in 1..65535: " + ephemeralFirst);
        }
        if (ephemeralLast < ephemeralFirst || ephemeralLast > 65_535) {
            throw new IllegalArgumentException("UdpConfig.ephemeralLast must be in " + ephemeralFirst + "..65535: "
                    + ephemeralLast);
        }
    }

    /** This configuration with ephemeral ports drawn from {@code first..last}. */
    public UdpConfig withEphemeralRange(int first, int last) {
        return new UdpConfig(first, last, fragment);
    }

    /** This configuration with fragmentation on or off. */
    public UdpConfig withFragment(boolean fragment) {
        return new UdpConfig(ephemeralFirst, ephemeralLast, fragment);
    }
}
