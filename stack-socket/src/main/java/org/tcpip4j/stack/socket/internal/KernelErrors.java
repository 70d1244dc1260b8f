package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.udp.UdpException;

/**
 * Maps the kernel's errors, as the JDK reports them, to the typed errors of the stack's
 * interfaces. The JDK gives a type for a few errno values (ECONNREFUSED and ETIMEDOUT on
 * connect: {@link ConnectException}; EHOSTUNREACH: {@link NoRouteToHostException}) and only
 * the {@code strerror} text for the rest, so the rest is told apart by that text.
 */
final class KernelErrors {

    /** The largest UDP payload IPv4 carries: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    static final int MAX_UDP_PAYLOAD = 65_507;

    /**
     * The largest UDP payload IPv6 carries without jumbograms (RFC 2675): 65,535 (the
     * payload length field, which excludes the IPv6 header) - 8 (UDP header).
     */
    static final int MAX_UDP6_PAYLOAD = 65_527;

    private KernelErrors() {
    }

    /** The largest UDP payload to {@code dst}'s IP version. */
    static int maxUdpPayload(IpAddress dst) {
        return dst.version() == 4 ? MAX_UDP_PAYLOAD : MAX_UDP6_PAYLOAD;
    }

    /** Why a datagram of {@code size} bytes to {@code dst} could not be sent. */
    static UdpException udpWrite(IOException e, IpAddress dst, int size) {
        String text = text(e);
        if (e instanceof NoRouteToHostException || unreachable(text)) {
            return new UdpException.Ip(new IpError.NoRoute(dst));
        }
        if (text.contains("message too long")) {
            // EMSGSIZE: larger than the path MTU with fragmentation off, or than IP carries.
            // Java cannot read the MTU (no IP_MTU), so 0 stands for "unknown".
            return size > maxUdpPayload(dst)
                    ? new UdpException.Ip(new IpError.TooLarge(size, maxUdpPayload(dst)))
                    : new UdpException.Ip(new IpError.WouldFragment(size, 0));
        }
        return new UdpException.Ip(new IpError.Link(describe(e)));
    }

    /** Why a connection to {@code dst} could not be opened. */
    static TcpException connect(IOException e, IpAddress dst) {
        String text = text(e);
        if (e instanceof SocketTimeoutException || text.contains("timed out")) {
            return new TcpException.Timeout("connection to " + dst + " timed out");
        }
        if (e instanceof NoRouteToHostException || unreachable(text)) {
            return new TcpException.NoRoute(new IpError.NoRoute(dst));
        }
        // A reset before the flow is ours: the peer's kernel accepted and the peer refused at once.
        if (e instanceof ConnectException || text.contains("refused") || text.contains("reset")) {
            return new TcpException.Refused("connection to " + dst + " refused");
        }
        return new TcpException.NoRoute(new IpError.Link(describe(e)));
    }

    /**
     * Why reading an established flow failed: ETIMEDOUT (retransmissions or keepalive
     * probes unanswered) is a timeout, everything else leaves the connection unusable
     * and counts as a reset.
     */
    static TcpException read(IOException e) {
        String text = text(e);
        if (text.contains("timed out")) {
            return new TcpException.Timeout("peer stopped answering: " + describe(e));
        }
        return new TcpException.Reset(text.contains("reset") ? "connection reset by peer" : describe(e));
    }

    /** Why data could not be written: the flow no longer sends (EPIPE, ECONNRESET, ...). */
    static TcpException.Closed write(IOException e) {
        String text = text(e);
        if (text.contains("reset")) {
            return new TcpException.Closed("connection reset by peer");
        }
        if (text.contains("broken pipe")) {
            return new TcpException.Closed("connection closed by peer");
        }
        return new TcpException.Closed(describe(e));
    }

    private static boolean unreachable(String text) {
        return text.contains("unreachable") || text.contains("no route");
    }

    private static String text(IOException e) {
        String m = e.getMessage();
        return m == null ? "" : m.toLowerCase(Locale.ROOT);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
