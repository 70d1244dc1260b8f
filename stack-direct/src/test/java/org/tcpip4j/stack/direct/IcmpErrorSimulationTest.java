package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.datagram;
import static org.tcpip4j.stack.direct.SimulatedLan.icmp;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;
import static org.tcpip4j.stack.direct.SimulatedLan.mac;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.udp.UdpConfig;

/** ICMP errors between whole stacks: generated, rate-limited, and delivered to the sender's transport. */
class IcmpErrorSimulationTest {

    private final SimulatedLan lan = new SimulatedLan(3);

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aDatagramToAClosedPortReachesTheSendersErrorCallbackAsPortUnreachable() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2);
        CompletableFuture<IcmpError> reported = new CompletableFuture<>();
        a.stack.udp().onError(40000, reported::complete);
        a.stack.udp().write(null, 40000, ip(2), 9, -1, text("anyone there?"));
        IcmpError e = lan.await(reported, Duration.ofSeconds(2));
        assertEquals(IcmpError.Kind.PORT_UNREACHABLE, e.kind());
        assertEquals(ip(2), e.reporter());
        assertEquals(ip(1), e.source());
        assertEquals(ip(2), e.destination());
        assertEquals(17, e.protocol());
        assertEquals(40000, e.sourcePort());
        assertEquals(9, e.destinationPort());
        assertEquals(1, b.count("udp", "rx.no_listener"));
        assertEquals(1, b.count("icmp", "tx.destination_unreachable"));
        assertEquals(1, a.count("udp", "rx.icmp_errors"));
    }

    @Test
    void aProtocolNobodyServesIsAnsweredWithProtocolUnreachableQuotingTheDatagram() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2);
        byte[] data = "raw protocol 253".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        lan.loop.execute(() -> a.stack.ip().write(ip(2), 253, data.length, (buf, off, max) -> {
            buf.put(off, data);
            return data.length;
        }));
        lan.loop.runFor(Duration.ofSeconds(1));
        assertEquals(1, b.count("stack", "rx.unknown_ip_protocol"));
        List<ByteBuffer> sent = b.recording.ipv4(1);
        assertEquals(1, sent.size());
        ByteBuffer reply = sent.get(0);
        assertEquals(ip(1), Ipv4Address.read(reply, 16));
        assertEquals(3, reply.get(20), "destination unreachable");
        assertEquals(2, reply.get(21), "protocol unreachable");
        List<ByteBuffer> ours = a.recording.ipv4(253);
        byte[] original = new byte[ours.get(0).remaining()];
        ours.get(0).get(0, original);
        byte[] quoted = Arrays.copyOfRange(reply.array(), reply.arrayOffset() + 28, reply.arrayOffset() + reply.limit());
        assertEquals(java.util.HexFormat.of().formatHex(original), java.util.HexFormat.of().formatHex(quoted));
        assertEquals(1, a.count("icmp", "rx.destination_unreachable"));
        assertEquals(1, a.count("stack", "rx.icmp_errors_unrouted"), "no layer of ours speaks protocol 253");
    }

    @Test
    void aDatagramToOurOwnClosedPortReportsToOurselves() {
        SimulatedLan.Host a = lan.host(1);
        CompletableFuture<IcmpError> reported = new CompletableFuture<>();
        a.stack.udp().onError(40000, reported::complete);
        a.stack.udp().write(null, 40000, ip(1), 9, -1, text("me?"));
        assertEquals(IcmpError.Kind.PORT_UNREACHABLE, lan.await(reported, Duration.ofSeconds(1)).kind());
    }

    @Test
    void portUnreachablesAreRateLimitedAndNeverAnswerABroadcast() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2);
        List<IcmpError> reported = new ArrayList<>();
        a.stack.udp().onError(40000, reported::add);
        lan.await(a.stack.arp().query(ip(2)), Duration.ofSeconds(1));
        lan.loop.execute(() -> {
            for (int i = 0; i < 100; i++) {
                a.stack.udp().write(null, 40000, ip(2), 9, -1, text("flood " + i));
            }
            a.stack.udp().write(null, 40000, ip(255), 9, -1, text("to all"));
        });
        lan.loop.runFor(Duration.ofMillis(50));
        assertEquals(6, reported.size(), "the default burst to one destination");
        assertEquals(94, b.count("icmp", "error.not_sent.rate_limited_destination"));
        assertEquals(101, b.count("udp", "rx.no_listener"));
        assertEquals(100, b.count("ipv4", "rx.undeliverable_reported"), "none about the broadcast");
        lan.loop.runFor(Duration.ofSeconds(1));
        lan.loop.execute(() -> a.stack.udp().write(null, 40000, ip(2), 9, -1, text("later")));
        lan.loop.runFor(Duration.ofMillis(50));
        assertEquals(7, reported.size(), "the bucket refilled");
    }

    @Test
    void fragmentationNeededFromARouterLowersThePathMtuOfAUdpLayerSendingWithDfAndReachesTheSender() {
        Ipv4Address far = Ipv4Address.parse("198.19.0.9");
        SimulatedLan.Host a = lan.host(1, Impairment.NONE,
            b -> b.gateway(ip(254)).udpConfig(UdpConfig.DEFAULT.withFragment(false)));
        SimulatedLan.RawPort router = lan.raw(254);
        a.stack.arp().addStatic(ip(254), mac(254));
        List<IcmpError> reported = new ArrayList<>();
        a.stack.udp().onError(40000, reported::add);
        // What a router answers to a 1400-byte datagram from a with DF set, its next hop's MTU 1000.
        ByteBuffer udp = ByteBuffer.allocate(8).putShort(0, (short) 40000).putShort(2, (short) 53)
                .putShort(4, (short) 1380);
        byte[] refused = datagram(ip(1), far, 17, 7, 0x4000, new byte[1380]);
        System.arraycopy(udp.array(), 0, refused, 20, 8);
        byte[] quote = Arrays.copyOf(refused, 28);
        lan.loop.execute(() -> router.send(mac(1), datagram(ip(254), ip(1), 1, 1, 0, icmp(3, 4, 1000, quote))));
        lan.loop.runFor(Duration.ofMillis(10));
        assertEquals(1, reported.size());
        assertEquals(IcmpError.Kind.FRAGMENTATION_NEEDED, reported.get(0).kind());
        assertEquals(1000, reported.get(0).nextHopMtu());
        assertEquals(980, a.stack.ip().mtu(far));
        assertEquals(1480, a.stack.ip().mtu(ip(2)));
        // What a sends to far from now on is fragmented to fit.
        lan.loop.execute(() -> a.stack.ip().write(far, 17, 1380, (buf, off, max) -> 1380));
        lan.loop.runFor(Duration.ofMillis(10));
        List<ByteBuffer> toRouter = router.ipv4(17);
        assertEquals(2, toRouter.size());
        assertTrue(toRouter.stream().allMatch(d -> d.limit() <= 1000), "fragments fit the path MTU");
    }

    @Test
    void fragmentationNeededAboutUdpThatWeLetBeFragmentedLowersNoPathMtu() {
        Ipv4Address far = Ipv4Address.parse("198.19.0.9");
        SimulatedLan.Host a = lan.host(1, Impairment.NONE, b -> b.gateway(ip(254)));
        SimulatedLan.RawPort router = lan.raw(254);
        a.stack.arp().addStatic(ip(254), mac(254));
        ByteBuffer udp = ByteBuffer.allocate(8).putShort(0, (short) 40000).putShort(2, (short) 53);
        byte[] refused = datagram(ip(1), far, 17, 7, 0x4000, new byte[1380]);
        System.arraycopy(udp.array(), 0, refused, 20, 8);
        byte[] quote = Arrays.copyOf(refused, 28);
        lan.loop.execute(() -> router.send(mac(1), datagram(ip(254), ip(1), 1, 1, 0, icmp(3, 4, 1000, quote))));
        lan.loop.runFor(Duration.ofMillis(10));
        assertEquals(1, a.count("udp", "rx.icmp_errors"));
        assertEquals(1480, a.stack.ip().mtu(far), "our UDP sets no DF: the message is forged or mistaken");
    }

    @Test
    void anErrorQuotingATcpSegmentOfOursReachesTcp() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.RawPort peer = lan.raw(2);
        byte[] segmentStart = ByteBuffer.allocate(8).putShort(0, (short) 50000).putShort(2, (short) 80)
                .putInt(4, 12345).array();
        byte[] quote = new byte[28];
        System.arraycopy(datagram(ip(1), ip(2), 6, 9, 0, segmentStart), 0, quote, 0, 28);
        lan.loop.execute(() -> peer.send(mac(1), datagram(ip(2), ip(1), 1, 2, 0, icmp(3, 3, 0, quote))));
        lan.loop.runFor(Duration.ofMillis(10));
        assertEquals(1, a.count("tcp", "rx.icmp_errors"));
        assertEquals(1, a.count("icmp", "rx.errors_delivered"));
    }

    @Test
    void anErrorAboutADatagramWeNeverSentIsNotDelivered() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.RawPort attacker = lan.raw(66);
        byte[] quote = Arrays.copyOf(datagram(ip(3), ip(2), 17, 9, 0, new byte[8]), 28);
        lan.loop.execute(() -> attacker.send(mac(1), datagram(ip(66), ip(1), 1, 2, 0, icmp(3, 3, 0, quote))));
        lan.loop.runFor(Duration.ofMillis(10));
        assertEquals(1, a.count("icmp", "rx.errors_not_about_ours"));
        assertEquals(0, a.count("udp", "rx.icmp_errors"));
    }
}
