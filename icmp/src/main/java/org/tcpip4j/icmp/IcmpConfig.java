package org.tcpip4j.icmp;

/**
 * How an ICMPv4 or ICMPv6 layer behaves.
 *
 * <p>ICMP errors the layer generates (destination unreachable, time exceeded) are limited
 * twice (RFC 1812 4.3.2.8, RFC 1122 3.2.2: "SHOULD limit the rate"), as Linux does with
 * {@code icmp_msgs_per_sec} and {@code icmp_ratelimit}: by a token bucket over all
 * destinations ({@code errorBurst} may go out at once, then {@code errorsPerSecond}), and
 * by one bucket per destination, kept in a table of at most {@code destinationTableSize}
 * destinations ({@code errorBurstPerDestination}, then {@code errorsPerSecondPerDestination}),
 * so that no one host, real or spoofed, takes the whole budget or is flooded with errors.
 * What either bucket holds back is counted and not sent. Echo replies are not limited, as
 * in Linux, where {@code icmp_ratemask} leaves them out.
 *
 * <p>Echo requests sent to a broadcast or multicast address are not answered unless
 * {@code echoBroadcasts} is set (Linux's {@code icmp_echo_ignore_broadcasts=1}, RFC 1122
 * 3.2.2.6 leaves it to the host): a host that answers them is a Smurf amplifier.
 *
 * <p>ICMPv6 errors (RFC 4443 2.4 (f): "a token bucket") are limited by the same buckets,
 * a layer of each version having its own. Echo requests sent to an IPv6 multicast address
 * are answered unless {@code echoIpv6Multicast} is cleared: RFC 4443 4.2 says a reply
 * SHOULD be sent, and Linux's {@code net.ipv6.icmp.echo_ignore_multicast} is 0; IPv6 has
 * no broadcast, and a multicast request reaches only the hosts that joined the group.
 *
 * @param errorsPerSecond the sustained rate of error messages over all destinations, in
 *     0..1,000,000; 0 sends none
 * @param errorBurst how many error messages may go out back to back, in 1..1,000,000
 * @param errorsPerSecondPerDestination the sustained rate of error messages to any one
 *     destination, in 0..1,000,000; 0 sends none
 * @param errorBurstPerDestination how many error messages may go to one destination back
 *     to back, in 1..1,000,000
 * @param destinationTableSize how many destinations the per-destination buckets are kept
 *     for, in 1..1,048,576; when it is full, a new destination takes the place of one whose
 *     bucket has refilled, or else of the one with the most tokens left
 * @param echoBroadcasts whether echo requests to an IPv4 broadcast or multicast address are
 *     answered
 * @param echoIpv6Multicast whether echo requests to an IPv6 multicast address are answered
 */
public record IcmpConfig(int errorsPerSecond, int errorBurst, int errorsPerSecondPerDestination,
                         int errorBurstPerDestination, int destinationTableSize, boolean echoBroadcasts,
                         boolean echoIpv6Multicast) {

    /** The largest rate and burst accepted: a token costs at least a microsecond. */
    public static final int MAX_RATE = 1_000_000;
    /** The largest per-destination table accepted. */
    public static final int MAX_DESTINATION_TABLE_SIZE = 1 << 20;
    /** The default per-destination table size. */
    public static final int DEFAULT_DESTINATION_TABLE_SIZE = 1024;

    /**
     * 100 error messages per second in bursts of up to 20; to one destination one per second
     * in bursts of up to six (Linux's {@code icmp_ratelimit} and its burst), for up to 1024
     * destinations; no echo replies to IPv4 broadcast or multicast requests, replies to
     * IPv6 multicast ones.
     */
    public static final IcmpConfig DEFAULT = new IcmpConfig(100, 20, 1, 6, DEFAULT_DESTINATION_TABLE_SIZE, false,
            true);

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException naming the first field out of its range
     */
    public IcmpConfig {
        check("errorsPerSecond", errorsPerSecond, 0, MAX_RATE);
        check("errorBurst", errorBurst, 1, MAX_RATE);
        check("errorsPerSecondPerDestination", errorsPerSecondPerDestination, 0, MAX_RATE);
        check("errorBurstPerDestination", errorBurstPerDestination, 1, MAX_RATE);
        check("destinationTableSize", destinationTableSize, 1, MAX_DESTINATION_TABLE_SIZE);
    }

    /** A configuration answering echo requests to IPv6 multicast addresses, as Linux does. */
    public IcmpConfig(int errorsPerSecond, int errorBurst, int errorsPerSecondPerDestination,
                      int errorBurstPerDestination, int destinationTableSize, boolean echoBroadcasts) {
        this(errorsPerSecond, errorBurst, errorsPerSecondPerDestination, errorBurstPerDestination,
                destinationTableSize, echoBroadcasts, true);
    }

    /**
     * Errors limited to {@code errorsPerSecond} in bursts of {@code errorBurst} over all
     * destinations, each destination allowed as much (no tighter limit per destination),
     * no echo replies to IPv4 broadcast or multicast requests, replies to IPv6 multicast ones.
     */
    public IcmpConfig(int errorsPerSecond, int errorBurst) {
        this(errorsPerSecond, errorBurst, errorsPerSecond, errorBurst, DEFAULT_DESTINATION_TABLE_SIZE, false);
    }

    /** This configuration with other per-destination limits. */
    public IcmpConfig withPerDestination(int perSecond, int burst, int tableSize) {
        return new IcmpConfig(errorsPerSecond, errorBurst, perSecond, burst, tableSize, echoBroadcasts,
                echoIpv6Multicast);
    }

    /** This configuration answering echo requests to IPv4 broadcast and multicast addresses, or not. */
    public IcmpConfig withEchoBroadcasts(boolean answer) {
        return new IcmpConfig(errorsPerSecond, errorBurst, errorsPerSecondPerDestination, errorBurstPerDestination,
                destinationTableSize, answer, echoIpv6Multicast);
    }

    /** This configuration answering echo requests to IPv6 multicast addresses, or not. */
    public IcmpConfig withEchoIpv6Multicast(boolean answer) {
        return new IcmpConfig(errorsPerSecond, errorBurst, errorsPerSecondPerDestination, errorBurstPerDestination,
                destinationTableSize, echoBroadcasts, answer);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("IcmpConfig." + field + " must be in " + min + ".." + max + ": " + value);
        }
    }
}
