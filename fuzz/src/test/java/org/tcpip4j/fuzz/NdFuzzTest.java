package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.internal.NdOutput;
import org.tcpip4j.ipv6.internal.nd.NdMessage;
import org.tcpip4j.ipv6.internal.nd.NdParseResult;
import org.tcpip4j.ipv6.internal.nd.NdRejection;
import org.tcpip4j.ipv6.internal.nd.Ndp;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * Neighbor Discovery and MLD (RFC 4861, RFC 4862, RFC 3810): any bytes, from any of a few
 * sources to any of a few destinations with any hop limit, parse to a message or a
 * rejection without an exception; a message written back parses to itself; the layer,
 * handed the same bytes, counts that rejection (and no other), keeps its neighbor cache,
 * router list, prefix list and SLAAC addresses within their bounds, and lets virtual time
 * pass without an exception. Everything it sends parses as a valid message.
 */
class NdFuzzTest {

    private static final Ipv6Address OUR_IP = Ipv6Address.parse("2001:2::1");
    private static final Ipv6Address[] SOURCES = {Ipv6Address.ANY, Ipv6Address.parse("fe80::2"),
        Ipv6Address.parse("fe80::1"), Ipv6Address.parse("2001:2::2"), OUR_IP};
    private static final Ipv6Address[] DESTINATIONS = {Ipv6Address.parse("fe80::ff:fe00:1"), OUR_IP,
        OUR_IP.solicitedNode(), Ipv6Address.ALL_NODES, Ipv6Address.parse("ff02::16")};
    private static final int[] TYPES = {130, 131, 132, 133, 134, 135, 136, 137, 143};
    private static final int CACHE = 8;
    private static final Ipv6Config CONFIG = Ipv6Config.of(List.of(Ipv6Cidr.parse("2001:2::1/64")), null)
        .withSlaac(true).withNeighborCache(CACHE, 4);

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final Counters counters = new Counters("ipv6");
    private final Ndp ndp = new Ndp(new GroupsOnlyEthernet(), CONFIG, StackContext.seeded(loop, 1, "fuzz"),
        new ParsingOutput(), counters);

    NdFuzzTest() {
        ndp.start();
        loop.runFor(3_000_000_000L);
    }

    @FuzzTest(maxDuration = "5s")
    void message(FuzzedDataProvider input) {
        Ipv6Address src = SOURCES[input.consumeInt(0, SOURCES.length - 1)];
        Ipv6Address dst = DESTINATIONS[input.consumeInt(0, DESTINATIONS.length - 1)];
        int hopLimit = switch (input.consumeInt(0, 3)) {
            case 0 -> 1;
            case 1 -> input.consumeInt(0, 255);
            default -> 255;
        };
        long pause = input.consumeLong(0, 100_000_000_000L);
        int forceType = input.consumeInt(0, TYPES.length);
        byte[] m = input.consumeRemainingAsBytes();
        if (forceType < TYPES.length && m.length > 0) {
            m[0] = (byte) TYPES[forceType];
        }

        NdParseResult parsed = parse(m, src, dst, hopLimit);
        if (parsed instanceof NdMessage message) {
            ByteBuffer again = ByteBuffer.allocate(message.length());
            assertEquals(message.length(), message.write(again, 0));
            assertEquals(message, parse(again.array(), src, dst, hopLimit), "written back, it parses the same");
        }

        long invalid = counters.get("rx.nd_invalid");
        long reason = parsed instanceof NdRejection r ? counters.get(r.counterName()) : 0;
        long notFromRouter = counters.get(NdRejection.REDIRECT_NOT_FROM_ROUTER.counterName());
        ByteBuffer b = ByteBuffer.allocate(m.length + 4).position(4);
        b.put(m).position(4);
        ndp.input(src, dst, hopLimit, b);
        assertEquals(4, b.position(), "the input's position is left alone");
        if (parsed instanceof NdRejection r) {
            assertEquals(invalid + 1, counters.get("rx.nd_invalid"));
            assertEquals(reason + 1, counters.get(r.counterName()));
        } else {
            long extra = parsed instanceof NdMessage.Redirect
                ? counters.get(NdRejection.REDIRECT_NOT_FROM_ROUTER.counterName()) - notFromRouter : 0;
            assertEquals(invalid + extra, counters.get("rx.nd_invalid"));
        }
        loop.runFor(pause);

        assertTrue(ndp.neighbors().size() <= CACHE, "the neighbor cache within its size");
        List<Ipv6AddressInfo> slaac = ndp.addressInfo().stream()
            .filter(i -> i.origin() == Ipv6AddressInfo.Origin.SLAAC).toList();
        assertTrue(slaac.size() <= CONFIG.maxPrefixes(), "SLAAC addresses within the prefix bound");
        int mtu = ndp.linkMtu();
        assertTrue(mtu >= Ipv6Config.MIN_MTU && mtu <= 1500, "link MTU " + mtu);
        assertTrue(ndp.hopLimit() >= 1 && ndp.hopLimit() <= 255);
    }

    private static NdParseResult parse(byte[] m, Ipv6Address src, Ipv6Address dst, int hopLimit) {
        return NdMessage.parse(ByteBuffer.wrap(m), src, dst, hopLimit);
    }

    /** Checks that whatever the layer sends parses back as valid. */
    private static final class ParsingOutput implements NdOutput {
        @Override
        public Result<IpError> sendIcmpv6(Ipv6Address src, Ipv6Address dst, long dstMac, int hopLimit,
                                          boolean routerAlert, int size, PacketWriter message) {
            ByteBuffer b = ByteBuffer.allocate(size);
            int n = message.write(b, 0, size);
            b.limit(n);
            NdParseResult r = NdMessage.parse(b, src, dst, hopLimit);
            assertTrue(r instanceof NdMessage, "sent an invalid message: " + r);
            return Result.ok();
        }

        @Override
        public void transmit(long mac, ByteBuffer datagram) {
        }

        @Override
        public void unresolved(ByteBuffer datagram) {
        }
    }

    /** An Ethernet that only takes group joins: Neighbor Discovery writes through its output. */
    private static final class GroupsOnlyEthernet implements Ethernet {
        @Override
        public MacAddress mac() {
            return MacAddress.parse("02:00:00:00:00:01");
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void joinGroup(MacAddress group) {
            assertTrue(group.isMulticast());
        }

        @Override
        public void leaveGroup(MacAddress group) {
        }

        @Override
        public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        }

        @Override
        public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size,
                                           PacketWriter payload) {
            throw new AssertionError("Neighbor Discovery writes through its output");
        }

        @Override
        public Counters counters() {
            return new Counters("ethernet");
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
