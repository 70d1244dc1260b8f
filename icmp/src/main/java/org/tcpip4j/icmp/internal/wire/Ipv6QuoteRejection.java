package org.tcpip4j.icmp.internal.wire;

/**
 * Why the data of an ICMPv6 error message does not quote a datagram that can be matched to
 * its sender (RFC 4443 2.4 (b)); each reason names its counter. Such a message is counted
 * and dropped.
 */
public enum Ipv6QuoteRejection implements Ipv6QuoteParseResult {

    /** Fewer than the 40 bytes of the fixed IPv6 header. */
    TOO_SHORT("rx.quote.too_short"),
    /** The quoted version is not 6. */
    BAD_VERSION("rx.quote.bad_version"),
    /** More extension headers than {@link Ipv6Chain#MAX_HEADERS}. */
    CHAIN_TOO_LONG("rx.quote.chain_too_long"),
    /** The quote ends before the upper-layer header and eight bytes of it. */
    TRUNCATED("rx.quote.truncated"),
    /**
     * A fragment other than the first: its upper-layer header, and so its ports, are in
     * another fragment.
     */
    NOT_FIRST_FRAGMENT("rx.quote.not_first_fragment");

    private final String counterName;

    Ipv6QuoteRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
