package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemoryNetif;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpLimits;

/**
 * A flood of a million SYNs from spoofed off-link sources (their SYN-ACKs go to a gateway
 * that drops them) at a server on the in-memory network, in virtual time, while legitimate
 * clients connect: with SYN cookies every legitimate client is established in one round
 * trip, the server holds no more than its half-open queue, and its buffer memory stays at
 * nothing. Without cookies the same flood shuts the port, which shows the test can fail.
 */
class SynFloodSimulationTest {

    static final Ipv4Address SERVER = Ipv4Address.parse("198.18.4.1");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("198.18.4.254");
    static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:00:04:01");
    static final MacAddress ATTACKER_MAC = MacAddress.parse("02:00:00:00:04:fe");
    static final int PORT = 80;
    static final int SYNS = 1_000_000;
    static final int SYNS_PER_MILLI = 1_000;
    static final int CLIENTS = 40;

    /** What one run saw. */
    record Outcome(int established, long maxHalfOpen, long maxRoundTripNanos, long cookiesAccepted, long openAfter,
                   long memBytesMax, long synAcksToSpoofed) {
    }

    @Test
    void legitimateClientsConnectThroughAMillionSpoofedSynsWithCookies() {
        Outcome o = flood(TcpConfig.DEFAULT, SYNS);
        assertEquals(CLIENTS, o.established(), "every legitimate client is established");
        assertTrue(o.maxRoundTripNanos() < Duration.ofMillis(2).toNanos(),
            "in one round trip (no delay on this network): " + o.maxRoundTripNanos() + " ns");
        assertTrue(o.cookiesAccepted() >= CLIENTS - 2, "through cookies: " + o.cookiesAccepted());
        assertTrue(o.maxHalfOpen() <= TcpConfig.DEFAULT.synBacklog() + CLIENTS,
            "connections held stay within the half-open queue: " + o.maxHalfOpen());
        assertEquals(0, o.memBytesMax(), "no buffer memory for half-open connections");
        assertEquals(CLIENTS, o.openAfter(), "once the half-open ones expire, only the clients' remain");
        assertTrue(o.synAcksToSpoofed() > SYNS / 2, "the server answered the flood: " + o.synAcksToSpoofed());
    }

    @Test
    void withoutCookiesTheSameFloodShutsThePort() {
        Outcome o = flood(TcpConfig.DEFAULT.withLimits(TcpLimits.DEFAULT.withSynCookies(false)), SYNS / 10);
        assertTrue(o.established() < CLIENTS / 2, "the queue full of spoofed entries: " + o.established());
    }

    private Outcome flood(TcpConfig config, int syns) {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        MemorySwitch network = new MemorySwitch(loop);
        DirectStack server = DirectStackBuilder.on(network.port(SERVER_MAC)).address(new Ipv4Cidr(SERVER, 24))
            .gateway(GATEWAY).tcpConfig(config).seed(1).name("server").build();
        DirectStack client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:04:02")))
            .address(Ipv4Cidr.parse("198.18.4.2/24")).seed(2).name("client").build();
        MemoryNetif attacker = network.port(ATTACKER_MAC);
        long[] synAcks = new long[1];
        attacker.listen(frame -> {
            int type = frame.getShort(12) & 0xffff;
            if (type == 0x0806 && frame.getShort(20) == 1) {
                answerArp(attacker, frame); // the gateway exists, and drops what it is sent
            } else if (type == 0x0800 && frame.get(23) == 6) {
                synAcks[0]++;
            }
        });
        List<TcpFlow> accepted = new ArrayList<>();
        server.listenTcp(PORT, accepted::add);

        SplittableRandom random = new SplittableRandom(7);
        List<CompletableFuture<TcpFlow>> connects = new ArrayList<>();
        long[] startedAt = new long[CLIENTS];
        long[] doneAt = new long[CLIENTS];
        long maxHalfOpen = 0;
        long memMax = 0;
        int sent = 0;
        int millis = syns / SYNS_PER_MILLI;
        int clientEvery = Math.max(1, millis / CLIENTS);
        for (int ms = 0; ms < millis; ms++) {
            for (int i = 0; i < SYNS_PER_MILLI; i++) {
                sendSyn(attacker, random, sent++);
            }
            if (ms % clientEvery == clientEvery / 2 && connects.size() < CLIENTS) {
                int index = connects.size();
                startedAt[index] = loop.nanoTime();
                connects.add(client.tcp().connect(SERVER, PORT).whenComplete((f, e) -> doneAt[index] = loop.nanoTime()));
            }
            loop.runFor(Duration.ofMillis(1));
            var counters = server.tcp().counters();
            maxHalfOpen = Math.max(maxHalfOpen, counters.get("conn.open"));
            memMax = Math.max(memMax, counters.get("mem.bytes"));
        }
        loop.runFor(Duration.ofMillis(100));
        int established = 0;
        long maxRoundTrip = 0;
        for (int i = 0; i < connects.size(); i++) {
            CompletableFuture<TcpFlow> f = connects.get(i);
            if (f.isDone() && !f.isCompletedExceptionally()) {
                established++;
            }
        }
        for (int i = 0; i < connects.size(); i++) {
            CompletableFuture<TcpFlow> f = connects.get(i);
            if (f.isDone() && !f.isCompletedExceptionally()) {
                maxRoundTrip = Math.max(maxRoundTrip, doneAt[i] - startedAt[i]);
            }
        }
        long cookies = server.tcp().counters().get("syncookies.accepted");
        loop.runFor(Duration.ofSeconds(200)); // the half-open ones give up their SYN-ACK retries
        long openAfter = server.tcp().counters().get("conn.open");
        return new Outcome(established, maxHalfOpen, maxRoundTrip, cookies, openAfter, memMax, synAcks[0]);
    }

    /** A SYN to the server from a spoofed source off the link, 198.19.0.0/16. */
    private static void sendSyn(MemoryNetif attacker, SplittableRandom random, int n) {
        int src = (198 << 24) | (19 << 16) | (n & 0xffff);
        int srcPort = 1024 + random.nextInt(60000);
        int isn = random.nextInt();
        attacker.write(58, (b, off, max) -> {
            SERVER_MAC.write(b, off);
            ATTACKER_MAC.write(b, off + 6);
            b.putShort(off + 12, (short) 0x0800);
            int ip = off + 14;
            b.put(ip, (byte) 0x45).put(ip + 1, (byte) 0).putShort(ip + 2, (short) 44).putShort(ip + 4, (short) n)
                .putShort(ip + 6, (short) 0x4000).put(ip + 8, (byte) 64).put(ip + 9, (byte) 6)
                .putShort(ip + 10, (short) 0).putInt(ip + 12, src).putInt(ip + 16, SERVER.bits());
            b.putShort(ip + 10, (short) InternetChecksum.compute(b, ip, 20));
            int tcp = ip + 20;
            b.putShort(tcp, (short) srcPort).putShort(tcp + 2, (short) PORT).putInt(tcp + 4, isn).putInt(tcp + 8, 0)
                .put(tcp + 12, (byte) (6 << 4)).put(tcp + 13, (byte) 0x02).putShort(tcp + 14, (short) 64240)
                .putShort(tcp + 16, (short) 0).putShort(tcp + 18, (short) 0)
                .put(tcp + 20, (byte) 2).put(tcp + 21, (byte) 4).putShort(tcp + 22, (short) 1460);
            long acc = InternetChecksum.add32(InternetChecksum.add32(0, src), SERVER.bits());
            acc = InternetChecksum.add16(InternetChecksum.add16(acc, 6), 24);
            b.putShort(tcp + 16, (short) InternetChecksum.finish(InternetChecksum.sum(b, tcp, 24, acc)));
            return 58;
        });
    }

    /** Answers an ARP request for the gateway with the attacker's MAC. */
    private static void answerArp(MemoryNetif attacker, ByteBuffer request) {
        int target = request.getInt(38);
        if (target != GATEWAY.bits()) {
            return;
        }
        byte[] senderMac = new byte[6];
        request.get(22, senderMac);
        int senderIp = request.getInt(28);
        attacker.write(42, (b, off, max) -> {
            b.put(off, senderMac);
            ATTACKER_MAC.write(b, off + 6);
            b.putShort(off + 12, (short) 0x0806).putShort(off + 14, (short) 1).putShort(off + 16, (short) 0x0800)
                .put(off + 18, (byte) 6).put(off + 19, (byte) 4).putShort(off + 20, (short) 2);
            ATTACKER_MAC.write(b, off + 22);
            b.putInt(off + 28, target);
            b.put(off + 32, senderMac).putInt(off + 38, senderIp);
            return 42;
        });
    }
}
