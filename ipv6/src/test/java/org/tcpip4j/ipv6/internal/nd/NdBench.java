package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.internal.NdOutput;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * One {@link Ndp} on a fake Ethernet and a capturing {@link NdOutput}, in virtual time:
 * messages are fed as {@link NdMessage} records or raw bytes, and what it sends is recorded
 * and parsed back. Addresses in 2001:2::/48 and fe80::/10.
 */
final class NdBench {

    static final HexFormat HEX = HexFormat.of();
    static final long SECOND = 1_000_000_000L;
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress OTHER_MAC = MacAddress.parse("02:00:00:00:00:03");
    static final MacAddress ROUTER_MAC = MacAddress.parse("02:00:00:00:00:fe");
    /** Our link-local address: fe80:: and the modified EUI-64 of {@link #OUR_MAC}. */
    static final Ipv6Address OUR_LL = Ipv6Address.parse("fe80::ff:fe00:1");
    static final Ipv6Address PEER_LL = Ipv6Address.parse("fe80::2");
    static final Ipv6Address ROUTER_LL = Ipv6Address.parse("fe80::1");
    static final Ipv6Address ROUTER2_LL = Ipv6Address.parse("fe80::fe");
    static final Ipv6Address OUR_IP = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address PEER_IP = Ipv6Address.parse("2001:2::2");
    static final Ipv6Address OFF_LINK = Ipv6Address.parse("2001:2:0:ff::9");
    static final long NONE = NdMessage.NONE;

    /** One ICMPv6 message handed to {@link NdOutput#sendIcmpv6}. */
    record Sent(long at, Ipv6Address src, Ipv6Address dst, long dstMac, int hopLimit, boolean routerAlert, byte[] bytes) {
        int type() {
            return bytes[0] & 0xff;
        }

        /** The message parsed back as a receiver would (ND with hop limit 255). */
        NdMessage message() {
            NdParseResult r = NdMessage.parse(ByteBuffer.wrap(bytes), src, dst, hopLimit);
            if (r instanceof NdRejection rej) {
                throw new AssertionError("we sent an invalid message: " + rej + " " + this);
            }
            return (NdMessage) r;
        }

        @Override
        public String toString() {
            return src + " > " + dst + " (" + new MacAddress(dstMac == -1 ? 0 : dstMac) + ") hl " + hopLimit
                + (routerAlert ? " ra " : " ") + HEX.formatHex(bytes);
        }
    }

    /** The output the IPv6 layer would be. */
    final class Output implements NdOutput {
        final List<Sent> sent = new ArrayList<>();
        final List<String> transmitted = new ArrayList<>();
        final List<String> unresolved = new ArrayList<>();

        @Override
        public Result<IpError> sendIcmpv6(Ipv6Address src, Ipv6Address dst, long dstMac, int hopLimit,
                                          boolean routerAlert, int size, PacketWriter message) {
            ByteBuffer b = ByteBuffer.allocate(size + 16);
            int n = message.write(b, 5, size);
            sent.add(new Sent(loop.nanoTime(), src, dst, dstMac, hopLimit, routerAlert, Arrays.copyOfRange(b.array(), 5, 5 + n)));
            return Result.ok();
        }

        @Override
        public void transmit(long mac, ByteBuffer datagram) {
            transmitted.add(new MacAddress(mac) + " " + HEX.formatHex(bytes(datagram)));
        }

        @Override
        public void unresolved(ByteBuffer datagram) {
            unresolved.add(HEX.formatHex(bytes(datagram)));
        }
    }

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final FakeEthernet ethernet;
    final Output output = new Output();
    final Counters counters = new Counters("ipv6");
    final Ndp ndp;

    NdBench(Ipv6Config config) {
        this(config, 1, OUR_MAC);
    }

    NdBench(Ipv6Config config, long seed, MacAddress mac) {
        this.ethernet = new FakeEthernet(mac, 1500);
        this.ndp = new Ndp(ethernet, config, StackContext.seeded(loop, seed, "test"), output, counters);
    }

    /** A static 2001:2::1/64, no DAD, no router advertisements. */
    static Ipv6Config staticConfig() {
        return Ipv6Config.of(List.of(org.tcpip4j.netif.Ipv6Cidr.parse("2001:2::1/64")), null)
            .withDadTransmits(0).withRouterAdvertisements(false);
    }

    /** Starts and runs until nothing is left to do for {@code seconds}; clears what was sent. */
    NdBench started(long seconds) {
        ndp.start();
        loop.runFor(seconds * SECOND);
        output.sent.clear();
        return this;
    }

    void input(Ipv6Address src, Ipv6Address dst, int hopLimit, NdMessage m) {
        ByteBuffer b = ByteBuffer.allocate(m.length());
        m.write(b, 0);
        input(src, dst, hopLimit, b.array());
    }

    void input(Ipv6Address src, Ipv6Address dst, int hopLimit, byte[] message) {
        ByteBuffer buf = ByteBuffer.allocate(message.length + 7).position(7);
        buf.put(message).position(7);
        ndp.input(src, dst, hopLimit, buf);
        if (buf.position() != 7 || buf.limit() != message.length + 7) {
            throw new AssertionError("input moved the buffer's position or limit");
        }
    }

    /** The bytes of a message. */
    static byte[] bytes(NdMessage m) {
        ByteBuffer b = ByteBuffer.allocate(m.length());
        m.write(b, 0);
        return b.array();
    }

    static byte[] bytes(ByteBuffer d) {
        byte[] out = new byte[d.remaining()];
        d.duplicate().get(out);
        return out;
    }

    List<Sent> sent(int type) {
        return output.sent.stream().filter(s -> s.type() == type).toList();
    }

    long count(String name) {
        return counters.get(name);
    }

    Ipv6Neighbor neighbor(Ipv6Address a) {
        return ndp.neighbors().stream().filter(n -> n.address().equals(a)).findFirst().orElse(null);
    }

    Ipv6Neighbor.State state(Ipv6Address a) {
        Ipv6Neighbor n = neighbor(a);
        return n == null ? null : n.state();
    }

    Ipv6AddressInfo info(Ipv6Address a) {
        return ndp.addressInfo().stream().filter(i -> i.cidr().address().equals(a)).findFirst().orElse(null);
    }

    List<Ipv6AddressInfo> slaacAddresses() {
        return ndp.addressInfo().stream().filter(i -> i.origin() == Ipv6AddressInfo.Origin.SLAAC).toList();
    }

    /** A solicited advertisement from {@code target} at {@code mac}. */
    static NdMessage.NeighborAdvertisement na(Ipv6Address target, MacAddress mac, boolean router, boolean solicited,
                                              boolean override) {
        return new NdMessage.NeighborAdvertisement(router, solicited, override, target, mac == null ? NONE : mac.bits());
    }

    /** A datagram, as held: 40 bytes of a fake IPv6 header whose last byte is {@code n}. */
    static ByteBuffer datagram(int n) {
        byte[] d = new byte[40];
        d[0] = 0x60;
        d[39] = (byte) n;
        return ByteBuffer.wrap(d);
    }
}
