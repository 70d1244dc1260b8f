package org.tcpip4j.tcp;

import org.tcpip4j.ip.IpError;

/** Why a TCP operation failed (Mirage's {@code Tcp.error} and {@code write_error}). */
public abstract sealed class TcpException extends Exception {

    private TcpException(String message) {
        super(message, null, false, false);
    }

    /** The peer did not answer in time (SYNs, retransmissions or keepalive probes). */
    public static final class Timeout extends TcpException {
        public Timeout(String message) {
            super(message);
        }
    }

    /** The peer refused the connection with a reset. */
    public static final class Refused extends TcpException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The flow is closed for writing, or was reset, so the data could not be written. */
    public static final class Closed extends TcpException {
        public Closed(String message) {
            super(message);
        }
    }

    /** The peer reset an established connection. */
    public static final class Reset extends TcpException {
        public Reset(String message) {
            super(message);
        }
    }

    /**
     * The layer's limits refuse the connection: it holds as many connections as
     * {@link TcpLimits#maxConnections()} allows, or no ephemeral port is free for the
     * destination.
     */
    public static final class Resources extends TcpException {
        public Resources(String message) {
            super(message);
        }
    }

    /** The IP layer could not send (no route, for one). */
    public static final class NoRoute extends TcpException {
        private final transient IpError error;

        public NoRoute(IpError error) {
            super(error.toString());
            this.error = error;
        }

        /** The IP layer's error. */
        public IpError error() {
            return error;
        }
    }
}
