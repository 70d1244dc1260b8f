package org.tcpip4j.icmp;

/**
 * How an ICMPv4 layer behaves.
 *
 * <p>ICMP errors the layer generates (destination unreachable, time exceeded) are limited by
 * a token bucket (RFC 1812 4.3.2.8, RFC 1122 3.2.2: "SHOULD limit the rate"): {@code
 * errorBurst} may go out at once, then {@code errorsPerSecond}; the rest are counted and
 * not sent. Echo replies are not limited, as in Linux, where {@code icmp_ratemask} leaves
 * them out.
 *
 * @param errorsPerSecond the sustained rate of error messages; 0 sends none
 * @param errorBurst how many error messages may go out back to back
 */
public record IcmpConfig(int errorsPerSecond, int errorBurst) {

    /** 100 error messages per second, in bursts of up to 20. */
    public static final IcmpConfig DEFAULT = new IcmpConfig(100, 20);

    public IcmpConfig {
        if (errorsPerSecond < 0 || errorBurst < 1) {
            throw new IllegalArgumentException("errorsPerSecond must not be negative and errorBurst must be positive: "
                    + errorsPerSecond + ", " + errorBurst);
        }
    }
}
