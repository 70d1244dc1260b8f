package org.tcpip4j.arp;

import org.tcpip4j.netif.Ipv4Address;

/** Why an ARP operation failed (Mirage's {@code Arp.error}). */
public abstract sealed class ArpException extends Exception {

    private ArpException(String message) {
        super(message, null, false, false);
    }

    /** No reply came for an address after every retry. */
    public static final class Timeout extends ArpException {
        private final transient Ipv4Address ip;

        public Timeout(Ipv4Address ip) {
            super("no ARP reply for " + ip);
            this.ip = ip;
        }

        /** The address that did not resolve. */
        public Ipv4Address ip() {
            return ip;
        }
    }

    /** The layer was disconnected while the query was pending. */
    public static final class Disconnected extends ArpException {
        public Disconnected() {
            super("ARP layer disconnected");
        }
    }
}
