package org.tcpip4j.icmp.internal.wire;

/**
 * Why the data of an ICMP error message does not quote a datagram of ours (RFC 792, RFC
 * 1122 3.2.2); each reason names its counter. Such a message is counted and dropped: it
 * cannot be matched to the transport that sent the datagram.
 */
public enum QuoteRejection implements QuoteParseResult {

    /** Fewer than the 20 bytes of an IPv4 header. */
    TOO_SHORT("rx.quote.too_short"),
    /** The quoted version is not 4. */
    BAD_VERSION("rx.quote.bad_version"),
    /** The quoted IHL is under 5 words. */
    BAD_HEADER_LENGTH("rx.quote.bad_header_length"),
    /** The quote ends before the header and eight bytes of payload. */
    TRUNCATED("rx.quote.truncated");

    private final String counterName;

    QuoteRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
