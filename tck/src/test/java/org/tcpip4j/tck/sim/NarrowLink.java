package org.tcpip4j.tck.sim;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * A host's device seen through a router whose next link has a smaller MTU: every IPv4
 * datagram the host sends that is larger than {@link #mtu} and has DF set is dropped, and,
 * unless the router is a black hole, answered with an ICMP "fragmentation needed" carrying
 * the MTU (RFC 1191 4), from {@link #ROUTER}, quoting the datagram's header and first
 * eight payload bytes (RFC 792). A larger datagram without DF goes on, counted: a real
 * router would fragment it. What the host receives passes untouched; the test may hand it
 * forged ICMP messages through {@link #inject}.
 */
final class NarrowLink extends ForwardingNetif {

    /** The router's address, on the hosts' subnet. */
    static final Ipv4Address ROUTER = Ipv4Address.parse("198.18.5.254");
    private static final MacAddress ROUTER_MAC = MacAddress.parse("02:00:00:00:05:fe");

    /** The next link's MTU. */
    final int mtu;
    /** True when oversized datagrams vanish without an answer (an ICMP black hole). */
    final boolean blackHole;

    private final byte[] frame = new byte[65_536];
    private FrameHandler handler;
    /** The first 28 bytes of IP of the last TCP datagram forwarded: a header to forge quotes from. */
    private byte[] lastTcpQuote;

    /** Oversized DF datagrams dropped. */
    long dropped;
    /** Fragmentation needed messages sent back. */
    long reported;
    /** Oversized datagrams without DF forwarded: a router would have fragmented them. */
    long fragmentable;
    /** The largest IPv4 datagram forwarded, in bytes. */
    int largestForwarded;
    /** IPv4 datagrams forwarded. */
    long forwarded;

    NarrowLink(Netif inner, int mtu, boolean blackHole) {
        super(inner);
        this.mtu = mtu;
        this.blackHole = blackHole;
    }

    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        int n = writer.write(ByteBuffer.wrap(frame), 0, size);
        if (n < 0 || n > size) {
            throw new IllegalStateException("writer returned " + n + " for " + size);
        }
        ByteBuffer b = ByteBuffer.wrap(frame, 0, n);
        if (n >= 34 && b.getShort(12) == 0x0800) {
            int total = b.getShort(16) & 0xffff;
            boolean df = (b.get(20) & 0x40) != 0;
            if (total > mtu && df) {
                dropped++;
                if (!blackHole) {
                    reported++;
                    byte[] quote = Arrays.copyOfRange(frame, 14, 14 + 28);
                    loop().execute(() -> inject(fragmentationNeeded(quote, mtu)));
                }
                return Result.ok();
            }
            if (total > mtu) {
                fragmentable++;
            }
            forwarded++;
            largestForwarded = Math.max(largestForwarded, total);
            if (b.get(23) == 6) {
                lastTcpQuote = Arrays.copyOfRange(frame, 14, 14 + 28);
            }
        }
        byte[] copy = frame;
        return inner.write(n, (buf, off, max) -> {
            buf.put(off, copy, 0, n);
            return n;
        });
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler frameHandler) {
        this.handler = frameHandler;
        return inner.listen(frameHandler);
    }

    /** Delivers {@code ethernetFrame} to the host as if it came from the wire. Loop only. */
    void inject(byte[] ethernetFrame) {
        if (handler != null) {
            handler.frame(ByteBuffer.wrap(ethernetFrame));
        }
    }

    /** The quote of the last TCP datagram forwarded (IP header and 8 bytes), to forge messages from. */
    byte[] lastTcpQuote() {
        return lastTcpQuote.clone();
    }

    /**
     * An Ethernet frame to the host carrying ICMP fragmentation needed from {@link #ROUTER}
     * with next-hop MTU {@code nextHopMtu}, quoting {@code quote} (an IPv4 header without
     * options and eight bytes).
     */
    byte[] fragmentationNeeded(byte[] quote, int nextHopMtu) {
        int ipLength = 20 + 8 + quote.length;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        inner.mac().write(b, 0);
        ROUTER_MAC.write(b, 6);
        b.putShort(12, (short) 0x0800);
        b.put(14, (byte) 0x45).putShort(16, (short) ipLength).put(22, (byte) 64).put(23, (byte) 1);
        b.putInt(26, ROUTER.bits()).put(30, quote, 12, 4); // to the quoted datagram's source
        b.putShort(24, (short) InternetChecksum.compute(b, 14, 20));
        b.put(34, (byte) 3).put(35, (byte) 4).putShort(40, (short) nextHopMtu).put(42, quote);
        b.putShort(36, (short) InternetChecksum.compute(b, 34, 8 + quote.length));
        return b.array();
    }

    @Override
    public String toString() {
        return "NarrowLink[mtu " + mtu + (blackHole ? ", black hole" : "") + ", dropped " + dropped + ", reported "
                + reported + ", forwarded " + forwarded + ", largest " + largestForwarded + ", fragmentable "
                + fragmentable + "]";
    }
}
