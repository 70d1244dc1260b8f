package org.tcpip4j.icmp.internal.wire;

/** Why a byte string is not an ICMPv4 message (RFC 792); each reason names its counter. */
public enum IcmpRejection implements IcmpParseResult {

    /** Fewer than the 8 bytes of the ICMP header. */
    TOO_SHORT("rx.too_short"),
    /** The checksum over the whole message does not verify. */
    BAD_CHECKSUM("rx.bad_checksum");

    private final String counterName;

    IcmpRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
