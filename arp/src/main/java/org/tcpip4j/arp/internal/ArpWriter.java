package org.tcpip4j.arp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.arp.internal.wire.ArpPacket;
import org.tcpip4j.netif.PacketWriter;

/** Writes one ARP packet into the frame; reused for every packet the layer sends. */
final class ArpWriter implements PacketWriter {

    private final ArpPacket packet = new ArpPacket();
    private int operation;
    private long senderMac;
    private int senderIp;
    private long targetMac;
    private int targetIp;

    /** Sets the fields of the next packet. */
    ArpWriter set(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        this.operation = operation;
        this.senderMac = senderMac;
        this.senderIp = senderIp;
        this.targetMac = targetMac;
        this.targetIp = targetIp;
        return this;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        packet.wrap(buffer, offset, maxLength).emit(operation, senderMac, senderIp, targetMac, targetIp);
        return ArpPacket.LENGTH;
    }
}
