package org.tcpip4j.ipv6.internal.wire;

/** Why a byte string is not an IPv6 datagram (RFC 8200 3); each reason names its counter. */
public enum Ipv6Rejection {

    /** Fewer than the 40 bytes of the fixed header. */
    TOO_SHORT("rx.too_short"),
    /** A version field other than 6. */
    BAD_VERSION("rx.bad_version"),
    /** A payload length longer than the bytes received after the fixed header. */
    BAD_PAYLOAD_LENGTH("rx.bad_payload_length");

    private final String counterName;

    Ipv6Rejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
