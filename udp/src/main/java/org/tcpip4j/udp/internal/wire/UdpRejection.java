package org.tcpip4j.udp.internal.wire;

/** Why a byte string is not a UDP datagram (RFC 768); each reason names its counter. */
public enum UdpRejection implements UdpParseResult {

    /** Fewer than the 8 bytes of the header. */
    TOO_SHORT("rx.too_short"),
    /** A length field under 8 or beyond the bytes the IP layer delivered. */
    BAD_LENGTH("rx.bad_length"),
    /** A non-zero checksum that does not verify over the pseudo-header and datagram. */
    BAD_CHECKSUM("rx.bad_checksum"),
    /** A zero checksum, "none", over IPv6, where the checksum is mandatory (RFC 8200 8.1). */
    ZERO_CHECKSUM("rx.zero_checksum");

    private final String counterName;

    UdpRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
