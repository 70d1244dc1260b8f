package org.tcpip4j.it;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/**
 * ARP for IPv4 over Ethernet (RFC 826) built and parsed by hand, so the smoke tests depend
 * on no protocol module of the stack.
 */
public final class ArpFrames {

    /** Ethertype of ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** ARP operation: request. */
    public static final int REQUEST = 1;
    /** ARP operation: reply. */
    public static final int REPLY = 2;

    /** An ARP packet and the Ethernet addresses of the frame carrying it. */
    public record Arp(MacAddress frameDestination, MacAddress frameSource, int operation, MacAddress senderMac,
                      Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
    }

    private ArpFrames() {
    }

    /** The frame of {@code arp}: 14 bytes of Ethernet header, 28 of ARP. */
    public static byte[] build(Arp arp) {
        ByteBuffer frame = ByteBuffer.allocate(42);
        arp.frameDestination().write(frame, 0);
        arp.frameSource().write(frame, 6);
        frame.putShort(12, (short) ETHERTYPE_ARP);
        frame.putShort(14, (short) 1); // hardware type: Ethernet
        frame.putShort(16, (short) 0x0800); // protocol type: IPv4
        frame.put(18, (byte) 6);
        frame.put(19, (byte) 4);
        frame.putShort(20, (short) arp.operation());
        arp.senderMac().write(frame, 22);
        arp.senderIp().write(frame, 28);
        arp.targetMac().write(frame, 32);
        arp.targetIp().write(frame, 38);
        return frame.array();
    }

    /** The ARP packet {@code frame} carries, or null when it carries anything else. */
    public static Arp parse(byte[] frame) {
        if (frame.length < 42) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        if ((b.getShort(12) & 0xffff) != ETHERTYPE_ARP || b.getShort(14) != 1 || (b.getShort(16) & 0xffff) != 0x0800
                || b.get(18) != 6 || b.get(19) != 4) {
            return null;
        }
        return new Arp(MacAddress.read(b, 0), MacAddress.read(b, 6), b.getShort(20) & 0xffff, MacAddress.read(b, 22),
                Ipv4Address.read(b, 28), MacAddress.read(b, 32), Ipv4Address.read(b, 38));
    }
}
