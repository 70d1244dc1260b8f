package org.tcpip4j.icmp;

import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpError;

/** Why a ping failed. */
public abstract sealed class IcmpException extends Exception {

    private IcmpException(String message) {
        super(message, null, false, false);
    }

    /** No echo reply came in time. */
    public static final class Timeout extends IcmpException {
        public Timeout(String message) {
            super(message);
        }
    }

    /** The echo request could not be sent. */
    public static final class SendFailed extends IcmpException {
        private final transient IpError error;

        public SendFailed(IpError error) {
            super("echo request not sent: " + error);
            this.error = error;
        }

        /** The IP layer's error. */
        public IpError error() {
            return error;
        }
    }

    /**
     * An ICMP error came back about the echo request (destination unreachable, time
     * exceeded, ...), before any reply.
     */
    public static final class ErrorReported extends IcmpException {
        private final transient IcmpError error;

        public ErrorReported(IcmpError error) {
            super("echo request answered by " + error);
            this.error = error;
        }

        /** The error, as received. */
        public IcmpError error() {
            return error;
        }
    }

    /** The layer was disconnected. */
    public static final class Disconnected extends IcmpException {
        public Disconnected() {
            super("ICMP layer disconnected");
        }
    }
}
