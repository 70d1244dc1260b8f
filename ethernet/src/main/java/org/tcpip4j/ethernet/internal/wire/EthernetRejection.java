package org.tcpip4j.ethernet.internal.wire;

/**
 * Why a byte string is not an Ethernet II frame. Each reason names the counter that
 * records it, so the engine counts a rejection without a lookup per packet.
 */
public enum EthernetRejection implements EthernetParseResult {

    /** Shorter than the 14-byte header (a runt: nothing to demultiplex on). */
    RUNT("rx.runt");

    private final String counterName;

    EthernetRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
