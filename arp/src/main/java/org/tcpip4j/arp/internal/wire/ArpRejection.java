package org.tcpip4j.arp.internal.wire;

/** Why a byte string is not an Ethernet/IPv4 ARP packet; each reason names its counter. */
public enum ArpRejection implements ArpParseResult {

    /** Fewer than the 28 bytes of an Ethernet/IPv4 ARP packet. */
    TOO_SHORT("rx.too_short"),
    /** A hardware type other than Ethernet (1) or an address length other than 6. */
    UNSUPPORTED_HARDWARE("rx.unsupported_hardware"),
    /** A protocol type other than IPv4 (0x0800) or an address length other than 4. */
    UNSUPPORTED_PROTOCOL("rx.unsupported_protocol"),
    /** An operation other than request (1) or reply (2), RARP and InARP among them. */
    UNKNOWN_OPERATION("rx.unknown_operation");

    private final String counterName;

    ArpRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
