package org.tcpip4j.netif.tap;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/**
 * Ethernet frames built and parsed by hand (RFC 826 ARP, RFC 791 IPv4, RFC 768 UDP,
 * RFC 792 ICMP), so these tests depend on no protocol module of the stack.
 */
final class TestFrames {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;

    /** An ARP packet for IPv4 over Ethernet. */
    record Arp(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
    }

    /** The headers of an ICMP message in an IPv4 packet. */
    record Icmp(Ipv4Address source, Ipv4Address destination, int type, int code) {
    }

    private TestFrames() {
    }

    /** An Ethernet frame carrying {@code arp}, sent from {@code arp.senderMac()} to {@code destination}. */
    static byte[] arp(MacAddress destination, Arp arp) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 28);
        destination.write(frame, 0);
        arp.senderMac().write(frame, 6);
        frame.putShort(12, (short) ETHERTYPE_ARP);
        frame.putShort(14, (short) 1); // hardware: Ethernet
        frame.putShort(16, (short) ETHERTYPE_IPV4); // protocol: IPv4
        frame.put(18, (byte) 6);
        frame.put(19, (byte) 4);
        frame.putShort(20, (short) arp.operation());
        arp.senderMac().write(frame, 22);
        arp.senderIp().write(frame, 28);
        arp.targetMac().write(frame, 32);
        arp.targetIp().write(frame, 38);
        return frame.array();
    }

    /** The ARP packet in {@code frame}, or null when the frame carries something else. */
    static Arp parseArp(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (frame.length < 42 || (b.getShort(12) & 0xffff) != ETHERTYPE_ARP || b.getShort(14) != 1
                || (b.getShort(16) & 0xffff) != ETHERTYPE_IPV4 || b.get(18) != 6 || b.get(19) != 4) {
            return null;
        }
        return new Arp(b.getShort(20) & 0xffff, MacAddress.read(b, 22), Ipv4Address.read(b, 28),
                MacAddress.read(b, 32), Ipv4Address.read(b, 38));
    }

    /** The destination MAC of {@code frame}. */
    static MacAddress destination(byte[] frame) {
        return MacAddress.read(ByteBuffer.wrap(frame), 0);
    }

    /** An Ethernet frame with an IPv4 packet (TTL 64, DF) carrying one UDP datagram. */
    static byte[] udp(MacAddress srcMac, MacAddress dstMac, Ipv4Address src, Ipv4Address dst, int srcPort,
                      int dstPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        int ipLength = 20 + udpLength;
        ByteBuffer frame = ByteBuffer.allocate(14 + ipLength);
        dstMac.write(frame, 0);
        srcMac.write(frame, 6);
        frame.putShort(12, (short) ETHERTYPE_IPV4);
        int ip = 14;
        frame.put(ip, (byte) 0x45);
        frame.putShort(ip + 2, (short) ipLength);
        frame.putShort(ip + 4, (short) 0x1234);
        frame.putShort(ip + 6, (short) 0x4000);
        frame.put(ip + 8, (byte) 64);
        frame.put(ip + 9, (byte) 17);
        src.write(frame, ip + 12);
        dst.write(frame, ip + 16);
        frame.putShort(ip + 10, (short) InternetChecksum.compute(frame, ip, 20));
        int udp = ip + 20;
        frame.putShort(udp, (short) srcPort);
        frame.putShort(udp + 2, (short) dstPort);
        frame.putShort(udp + 4, (short) udpLength);
        frame.put(udp + 8, payload);
        // RFC 768: the checksum covers a pseudo-header of addresses, protocol and length.
        long sum = InternetChecksum.add32(0, src.bits());
        sum = InternetChecksum.add32(sum, dst.bits());
        sum = InternetChecksum.add16(sum, 17);
        sum = InternetChecksum.add16(sum, udpLength);
        int checksum = InternetChecksum.finish(InternetChecksum.sum(frame, udp, udpLength, sum));
        frame.putShort(udp + 6, (short) (checksum == 0 ? 0xffff : checksum));
        return frame.array();
    }

    /** The ICMP message in {@code frame}, or null when it carries something else. */
    static Icmp parseIcmp(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (frame.length < 14 + 20 + 8 || (b.getShort(12) & 0xffff) != ETHERTYPE_IPV4 || (b.get(14) >> 4) != 4
                || b.get(14 + 9) != 1) {
            return null;
        }
        int headerLength = (b.get(14) & 0x0f) * 4;
        int icmp = 14 + headerLength;
        return new Icmp(Ipv4Address.read(b, 14 + 12), Ipv4Address.read(b, 14 + 16), b.get(icmp) & 0xff,
                b.get(icmp + 1) & 0xff);
    }
}
