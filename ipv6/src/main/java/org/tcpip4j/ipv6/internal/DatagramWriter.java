package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ip.support.AbstractDatagramWriter;
import org.tcpip4j.ipv6.internal.wire.HeaderChain;
import org.tcpip4j.ipv6.internal.wire.Ipv6Packet;
import org.tcpip4j.netif.PacketWriter;

/**
 * Writes one IPv6 datagram or fragment into the frame: the fixed header, a hop-by-hop
 * header with the Router Alert option when asked (RFC 2711, MLD), a fragment header for a
 * fragment (RFC 8200 4.5), then what the payload writer fills; the header is written last,
 * with the payload length the writer turned out to write and, unless fixed, a flow label
 * hashed from the addresses, the protocol and the ports the writer just wrote
 * ({@link FlowHashes}). One instance is reused for every datagram.
 */
final class DatagramWriter extends AbstractDatagramWriter {

    /** The hop-by-hop header with Router Alert (MLD, value 0) and a PadN of two bytes. */
    static final int ROUTER_ALERT_HEADER_LENGTH = 8;

    private final Ipv6Packet header = new Ipv6Packet();
    private final FlowHashes hashes;
    private long srcHigh;
    private long srcLow;
    private long dstHigh;
    private long dstLow;
    private int protocol;
    private int hopLimit;
    private int flowLabel;
    private boolean routerAlert;
    private boolean fragment;
    private int identification;
    private int fragmentOffset;
    private boolean moreFragments;

    DatagramWriter(FlowHashes hashes) {
        this.hashes = hashes;
    }

    /**
     * Sets the fields the datagram's fragments share.
     *
     * @param flowLabel the flow label, or -1 for the one hashed from the written payload
     */
    DatagramWriter datagram(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int hopLimit,
                            int flowLabel, boolean routerAlert) {
        this.srcHigh = srcHigh;
        this.srcLow = srcLow;
        this.dstHigh = dstHigh;
        this.dstLow = dstLow;
        this.protocol = protocol;
        this.hopLimit = hopLimit;
        this.flowLabel = flowLabel;
        this.routerAlert = routerAlert;
        this.fragment = false;
        begin();
        return this;
    }

    /** Sets the flow label of the next datagrams (-1: hashed from each payload). */
    void flowLabel(int label) {
        this.flowLabel = label;
    }

    /** The bytes before the payload: fixed header and extension headers. */
    int headerLength() {
        return Ipv6Packet.HEADER_LENGTH + (routerAlert ? ROUTER_ALERT_HEADER_LENGTH : 0)
            + (fragment ? HeaderChain.FRAGMENT_HEADER_LENGTH : 0);
    }

    /** Sets the payload of a whole datagram. */
    DatagramWriter whole(PacketWriter payload, int payloadSize) {
        payload(payload, payloadSize);
        this.fragment = false;
        return this;
    }

    /** Sets the payload of the next fragment, where it lies in the whole and the identification. */
    DatagramWriter fragment(PacketWriter payload, int payloadSize, int identification, int fragmentOffset,
                            boolean moreFragments) {
        payload(payload, payloadSize);
        this.fragment = true;
        this.identification = identification;
        this.fragmentOffset = fragmentOffset;
        this.moreFragments = moreFragments;
        return this;
    }

    /** The flow label of a payload whose transport header starts at {@code buffer[at]}, {@code n} bytes. */
    int hashedLabel(ByteBuffer buffer, int at, int n) {
        int ports = (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) && n >= 4 ? buffer.getInt(at) : 0;
        return hashes.flowLabel(srcHigh, srcLow, dstHigh, dstLow, protocol, ports);
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int headers = headerLength();
        int n = writePayload(buffer, offset + headers, maxLength - headers);
        int at = offset + Ipv6Packet.HEADER_LENGTH;
        int first = routerAlert ? HeaderChain.HOP_BY_HOP : fragment ? HeaderChain.FRAGMENT : protocol;
        if (routerAlert) {
            buffer.put(at, (byte) (fragment ? HeaderChain.FRAGMENT : protocol));
            buffer.put(at + 1, (byte) 0);
            // Router Alert, length 2, value 0 (MLD, RFC 2711 2.1); PadN of no data.
            buffer.putInt(at + 2, 0x0502_0000);
            buffer.putShort(at + 6, (short) 0x0100);
            at += ROUTER_ALERT_HEADER_LENGTH;
        }
        if (fragment) {
            buffer.put(at, (byte) protocol);
            buffer.put(at + 1, (byte) 0);
            buffer.putShort(at + 2, (short) (fragmentOffset | (moreFragments ? 1 : 0)));
            buffer.putInt(at + 4, identification);
        }
        int label = flowLabel >= 0 ? flowLabel : hashedLabel(buffer, offset + headers, n);
        header.wrap(buffer, offset, headers + n).emit(0, label, headers - Ipv6Packet.HEADER_LENGTH + n, first,
            hopLimit, srcHigh, srcLow, dstHigh, dstLow);
        return headers + n;
    }
}
