package org.tcpip4j.udp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.udp.internal.wire.UdpPacket;

/**
 * Writes one UDP datagram into the IP layer's room: the caller's data copied once from
 * its buffer (position..limit, which are left as they were), then the header and the
 * checksum over the pseudo-header, header and data. Reused for every datagram.
 */
final class DatagramWriter implements PacketWriter {

    private final UdpPacket packet = new UdpPacket();
    private int sourcePort;
    private int destinationPort;
    private ByteBuffer data;
    private long pseudoheaderSumWithoutLength;

    /**
     * Sets the next datagram.
     *
     * @param pseudoheaderSumWithoutLength the pseudo-header's sum with a length of zero:
     *     the writer adds the length it actually writes
     */
    DatagramWriter set(int sourcePort, int destinationPort, ByteBuffer data, long pseudoheaderSumWithoutLength) {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.data = data;
        this.pseudoheaderSumWithoutLength = pseudoheaderSumWithoutLength;
        return this;
    }

    /** Forgets the caller's buffer. */
    void release() {
        data = null;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int n = Math.min(data.remaining(), maxLength - UdpPacket.HEADER_LENGTH);
        buffer.put(offset + UdpPacket.HEADER_LENGTH, data, data.position(), n);
        int length = UdpPacket.HEADER_LENGTH + n;
        packet.wrap(buffer, offset, length).emitHeader(sourcePort, destinationPort, length);
        packet.fillChecksum(InternetChecksum.add16(pseudoheaderSumWithoutLength, length));
        return length;
    }
}
