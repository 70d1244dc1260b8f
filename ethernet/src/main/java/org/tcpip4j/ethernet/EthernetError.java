package org.tcpip4j.ethernet;

import org.tcpip4j.netif.NetifError;

/** Why a frame could not be written (Mirage's {@code Ethernet.error}). */
public sealed interface EthernetError {

    /** The payload does not fit in one frame. */
    record ExceedsMtu(int size, int mtu) implements EthernetError {
        @Override
        public String toString() {
            return "payload of " + size + " bytes exceeds the MTU of " + mtu;
        }
    }

    /** The device failed. */
    record Netif(NetifError error) implements EthernetError {
        @Override
        public String toString() {
            return error.toString();
        }
    }
}
