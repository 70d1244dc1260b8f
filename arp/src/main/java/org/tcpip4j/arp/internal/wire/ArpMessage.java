package org.tcpip4j.arp.internal.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/**
 * An Ethernet/IPv4 ARP packet as a plain value (RFC 826), with a total {@link #parse}
 * and an {@link #emit} that writes it back.
 *
 * @param operation {@link ArpPacket#REQUEST} or {@link ArpPacket#REPLY}
 * @param senderMac the sender's hardware address
 * @param senderIp the sender's protocol address
 * @param targetMac the target's hardware address (zero in a request)
 * @param targetIp the target's protocol address
 */
public record ArpMessage(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
                         Ipv4Address targetIp) implements ArpParseResult {

    /** Checks the fields. */
    public ArpMessage {
        if (operation != ArpPacket.REQUEST && operation != ArpPacket.REPLY) {
            throw new IllegalArgumentException("ARP operation is 1 or 2: " + operation);
        }
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
    }

    /** A request asking who has {@code targetIp}. */
    public static ArpMessage request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        return new ArpMessage(ArpPacket.REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /**
     * An announcement (RFC 5227 2.3): a request whose sender and target address are both
     * the address being announced, so that every host updates its cache.
     */
    public static ArpMessage announcement(MacAddress mac, Ipv4Address ip) {
        return new ArpMessage(ArpPacket.REQUEST, mac, ip, MacAddress.ZERO, ip);
    }

    /**
     * Parses the packet at {@code buffer}'s position..limit; bytes after the 28th are
     * padding and ignored. Never throws.
     */
    public static ArpParseResult parse(ByteBuffer buffer) {
        ArpPacket packet = new ArpPacket().wrap(buffer, buffer.position(), buffer.remaining());
        ArpRejection rejection = packet.check();
        if (rejection != null) {
            return rejection;
        }
        return new ArpMessage(packet.operation(), new MacAddress(packet.senderMac()),
                new Ipv4Address(packet.senderIp()), new MacAddress(packet.targetMac()),
                new Ipv4Address(packet.targetIp()));
    }

    /** Bytes {@link #emit} writes. */
    public int bufferLength() {
        return ArpPacket.LENGTH;
    }

    /** Writes the packet at {@code buffer[offset..offset+28]}. */
    public void emit(ByteBuffer buffer, int offset) {
        new ArpPacket().wrap(buffer, offset, ArpPacket.LENGTH)
                .emit(operation, senderMac.bits(), senderIp.bits(), targetMac.bits(), targetIp.bits());
    }
}
