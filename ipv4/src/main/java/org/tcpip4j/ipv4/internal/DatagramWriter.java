package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.support.AbstractDatagramWriter;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.PacketWriter;

/**
 * Writes one IPv4 datagram or fragment into the frame: the payload writer fills its part
 * after a 20-byte header, then the header is written with the total length the payload
 * turned out to have, and its checksum. One instance is reused for every datagram.
 */
final class DatagramWriter extends AbstractDatagramWriter {

    private final Ipv4Packet header = new Ipv4Packet();
    private int source;
    private int destination;
    private int protocol;
    private int ttl;
    private int identification;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;

    /** Sets the header fields the datagram's fragments share. */
    DatagramWriter datagram(int source, int destination, int protocol, int ttl, int identification,
                            boolean dontFragment) {
        this.source = source;
        this.destination = destination;
        this.protocol = protocol;
        this.ttl = ttl;
        this.identification = identification;
        this.dontFragment = dontFragment;
        this.moreFragments = false;
        this.fragmentOffset = 0;
        begin();
        return this;
    }

    /** Sets the payload of the next datagram or fragment and where it lies in the whole. */
    DatagramWriter payload(PacketWriter payload, int payloadSize, int fragmentOffset, boolean moreFragments) {
        payload(payload, payloadSize);
        this.fragmentOffset = fragmentOffset;
        this.moreFragments = moreFragments;
        return this;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int n = writePayload(buffer, offset + Ipv4Packet.HEADER_LENGTH, maxLength - Ipv4Packet.HEADER_LENGTH);
        int total = Ipv4Packet.HEADER_LENGTH + n;
        header.wrap(buffer, offset, total).emit(0, total, identification, dontFragment, moreFragments,
                fragmentOffset, ttl, protocol, source, destination);
        return total;
    }
}
