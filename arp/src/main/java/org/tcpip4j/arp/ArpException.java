package org.tcpip4j.arp;

import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

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

    /**
     * Another host answered for an address we probed before using it (RFC 5227 2.1.1):
     * the address is not taken into use.
     */
    public static final class Conflict extends ArpException {
        private final transient Ipv4Address ip;
        private final transient MacAddress mac;

        public Conflict(Ipv4Address ip, MacAddress mac) {
            super(ip + " is in use by " + mac);
            this.ip = ip;
            this.mac = mac;
        }

        /** The address in conflict. */
        public Ipv4Address ip() {
            return ip;
        }

        /** The hardware address of the host that uses or probes it. */
        public MacAddress mac() {
            return mac;
        }
    }

    /**
     * The resolution was given up while still waiting, to make room for a newer one: the
     * most addresses resolving at once ({@link ArpConfig#maxPendingResolutions()}) were.
     */
    public static final class Evicted extends ArpException {
        private final transient Ipv4Address ip;

        public Evicted(Ipv4Address ip) {
            super("resolution of " + ip + " given up: too many addresses resolving at once");
            this.ip = ip;
        }

        /** The address whose resolution was given up. */
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
