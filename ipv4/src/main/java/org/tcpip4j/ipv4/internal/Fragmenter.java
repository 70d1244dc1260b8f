package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ip.support.RegionCopier;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Result;

/**
 * Sends a datagram that does not fit the link as fragments (RFC 791 2.3 and 3.2,
 * "fragmentation procedure"): every fragment but the last carries a multiple of eight
 * payload bytes and the MF flag; each carries its offset in the whole and the datagram's
 * identification. We send no options, so no option copying rule applies. Reused.
 */
final class Fragmenter {

    private final RegionCopier copier = new RegionCopier();
    private int fragmentsSent;

    /** The payload bytes each fragment but the last carries on a link of {@code mtu}. */
    static int fragmentPayload(int mtu) {
        return (mtu - Ipv4Packet.HEADER_LENGTH) & ~7;
    }

    /**
     * Sends {@code payload[from..from+length)} as fragments to {@code dstMac}, with the
     * header fields already set on {@code writer}, stopping at the first link error.
     *
     * @return {@code null} when every fragment was sent, else the link's error
     */
    EthernetError send(Ethernet ethernet, MacAddress dstMac, DatagramWriter writer, ByteBuffer payload, int from,
                       int length, int mtu) {
        int chunk = fragmentPayload(mtu);
        fragmentsSent = 0;
        for (int at = 0; at < length; at += chunk) {
            int n = Math.min(chunk, length - at);
            writer.payload(copier.region(payload, from + at, n), n, at, at + n < length);
            Result<EthernetError> r = ethernet.write(null, dstMac, EtherType.IPV4, Ipv4Packet.HEADER_LENGTH + n,
                    writer);
            if (!r.isOk()) {
                return r.errorOrNull();
            }
            fragmentsSent++;
        }
        return null;
    }

    /** The fragments the last {@link #send} put on the link. */
    int fragmentsSent() {
        return fragmentsSent;
    }
}
