package org.tcpip4j.ipv4.internal.wire;

/** Why a byte string is not an IPv4 datagram (RFC 791 3.1); each reason names its counter. */
public enum Ipv4Rejection implements Ipv4ParseResult {

    /** Fewer than the 20 bytes of a header without options. */
    TOO_SHORT("rx.too_short"),
    /** A version field other than 4. */
    BAD_VERSION("rx.bad_version"),
    /** An IHL under 5 words, or a header longer than the bytes received. */
    BAD_HEADER_LENGTH("rx.bad_header_length"),
    /** A total length shorter than the header or longer than the bytes received. */
    BAD_TOTAL_LENGTH("rx.bad_total_length"),
    /**
     * Options that do not parse (RFC 791 3.1): an option's length under two bytes, or
     * running past the header.
     */
    BAD_OPTIONS("rx.bad_options"),
    /** A header whose checksum does not verify (RFC 1122 3.2.1.2: silently discarded). */
    BAD_CHECKSUM("rx.bad_checksum");

    private final String counterName;

    Ipv4Rejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
