package org.tcpip4j.ip;

import org.tcpip4j.netif.IpAddress;

/** Why a datagram could not be written (Mirage's {@code Ip.error}). */
public sealed interface IpError {

    /** No configured subnet contains the destination and no gateway is set. */
    record NoRoute(IpAddress dst) implements IpError {
        @Override
        public String toString() {
            return "no route to " + dst;
        }
    }

    /** The datagram does not fit the path MTU and fragmentation was not allowed. */
    record WouldFragment(int size, int mtu) implements IpError {
        @Override
        public String toString() {
            return "datagram of " + size + " bytes would need fragmentation (MTU " + mtu + ")";
        }
    }

    /** The datagram is larger than IP can carry at all. */
    record TooLarge(int size, int max) implements IpError {
        @Override
        public String toString() {
            return "datagram of " + size + " bytes exceeds the maximum of " + max;
        }
    }

    /** The link layer failed to send. */
    record Link(String reason) implements IpError {
        @Override
        public String toString() {
            return "link error: " + reason;
        }
    }
}
