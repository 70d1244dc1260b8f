package org.tcpip4j.udp;

import org.tcpip4j.ip.IpError;

/** Why a datagram could not be sent. */
public abstract sealed class UdpException extends Exception {

    private UdpException(String message) {
        super(message, null, false, false);
    }

    /** The IP layer refused the datagram (no route, would fragment, too large, link). */
    public static final class Ip extends UdpException {
        private final transient IpError error;

        public Ip(IpError error) {
            super(error.toString());
            this.error = error;
        }

        /** The IP layer's error. */
        public IpError error() {
            return error;
        }
    }

    /** The layer was disconnected. */
    public static final class Disconnected extends UdpException {
        public Disconnected() {
            super("UDP layer disconnected");
        }
    }
}
