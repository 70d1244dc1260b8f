package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.TcpSegmentation;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.netif.pcap.PcapNetif;
import org.tcpip4j.netif.pcap.PcapReader;
import org.tcpip4j.netif.pcap.PcapRecord;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * TCP over devices that offload ({@link NetifOffloads}), on the in-memory switch in
 * virtual time: a sender on a port that cuts segments (TSO) and completes checksums
 * writes segments of many MSS with the checksum left to the device; towards a port that
 * offloads too they arrive whole (coalesced) and are not verified again, towards one that
 * does not the switch cuts them into wire segments and completes their checksums, and the
 * receiver verifies every one. Every byte is checked, over IPv4 and IPv6.
 */
class TcpOffloadSimulationTest {

    static final Ipv4Address SENDER = Ipv4Address.parse("198.18.7.1");
    static final Ipv4Address RECEIVER = Ipv4Address.parse("198.18.7.2");
    static final Ipv6Address SENDER6 = Ipv6Address.parse("2001:2:0:7::1");
    static final Ipv6Address RECEIVER6 = Ipv6Address.parse("2001:2:0:7::2");
    static final int PORT = 5001;
    static final int MTU = 1500;

    /** Watches the frames a device writes and receives: sizes, and TCP checksums. */
    static final class Watch extends ForwardingNetif {
        final TcpSegmentation parse = new TcpSegmentation();
        int largestSent;
        int largestReceived;
        long tcpSent;
        long tcpSentLarge;
        long partialChecksums;
        long completeChecksums;
        long tcpReceived;
        long receivedVouched;

        Watch(Netif inner) {
            super(inner);
        }

        @Override
        public Result<NetifError> write(int size, PacketWriter writer) {
            return inner.write(size, (buffer, offset, max) -> {
                int n = writer.write(buffer, offset, max);
                largestSent = Math.max(largestSent, n);
                if (parse.parse(buffer, offset, n)) {
                    tcpSent++;
                    if (n > MTU + Netif.ETHERNET_HEADER_SIZE) {
                        tcpSentLarge++;
                    }
                    if (checksumVerifies(buffer, offset)) {
                        completeChecksums++;
                    } else if ((buffer.getShort(parse.tcpOffset() + 16) & 0xffff) == pseudoSum(buffer, offset)) {
                        partialChecksums++;
                    }
                }
                return n;
            });
        }

        @Override
        public CompletableFuture<Void> listen(FrameHandler handler) {
            return inner.listen(frame -> {
                largestReceived = Math.max(largestReceived, frame.remaining());
                if (parse.parse(frame, frame.position(), frame.remaining())) {
                    tcpReceived++;
                    if (inner.rxChecksumValid()) {
                        receivedVouched++;
                    }
                }
                handler.frame(frame);
            });
        }

        private boolean checksumVerifies(ByteBuffer b, int offset) {
            long sum = pseudoSumRaw(b, offset);
            return InternetChecksum.fold16(InternetChecksum.sum(b, parse.tcpOffset(), parse.end() - parse.tcpOffset(),
                sum)) == 0xffff;
        }

        private int pseudoSum(ByteBuffer b, int offset) {
            return InternetChecksum.fold16(pseudoSumRaw(b, offset));
        }

        private long pseudoSumRaw(ByteBuffer b, int offset) {
            int l3 = offset + Netif.ETHERNET_HEADER_SIZE;
            long sum = parse.ipv6() ? InternetChecksum.sum(b, l3 + 8, 32, 0) : InternetChecksum.sum(b, l3 + 12, 8, 0);
            sum = InternetChecksum.add16(sum, 6);
            return InternetChecksum.add16(sum, parse.end() - parse.tcpOffset());
        }
    }

    /** Wraps the sender's port, as a capture does. */
    interface Wrapper {
        Netif wrap(Netif port) throws IOException;
    }

    private static final class Run {
        final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        final Watch senderWatch;
        final Watch receiverWatch;
        final DirectStack sender;
        final DirectStack receiver;
        final TransferEnd sending;
        final TransferEnd receiving;

        Run(long seed, NetifOffloads senderOffloads, NetifOffloads receiverOffloads, boolean ipv6, int bytes) {
            this(seed, senderOffloads, receiverOffloads, ipv6, bytes, port -> port);
        }

        Run(long seed, NetifOffloads senderOffloads, NetifOffloads receiverOffloads, boolean ipv6, int bytes,
            Wrapper senderWrapper) {
            MemorySwitch network = new MemorySwitch(loop);
            SplittableRandom random = new SplittableRandom(seed);
            try {
                senderWatch = new Watch(senderWrapper.wrap(network.port(MacAddress.parse("02:00:00:00:07:01"), MTU,
                    senderOffloads)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            receiverWatch = new Watch(network.port(MacAddress.parse("02:00:00:00:07:02"), MTU, receiverOffloads));
            DirectStackBuilder s = DirectStackBuilder.on(senderWatch).address(new Ipv4Cidr(SENDER, 24))
                .name("offload-sender").seed(random.nextLong());
            DirectStackBuilder r = DirectStackBuilder.on(receiverWatch).address(new Ipv4Cidr(RECEIVER, 24))
                .name("offload-receiver").seed(random.nextLong());
            if (ipv6) {
                s.address6(new Ipv6Cidr(SENDER6, 64));
                r.address6(new Ipv6Cidr(RECEIVER6, 64));
            }
            sender = s.build();
            receiver = r.build();
            if (ipv6) {
                loop.runUntil(() -> sender.ipv6().orElseThrow().addressesReady().isDone()
                    && receiver.ipv6().orElseThrow().addressesReady().isDone(), Duration.ofMinutes(1).toNanos());
            }
            byte[] data = new byte[bytes];
            random.nextBytes(data);
            sending = new TransferEnd(data, new byte[0]);
            receiving = new TransferEnd(new byte[0], data);
            receiver.listenTcp(PORT, receiving::start);
            IpAddress to = ipv6 ? RECEIVER6 : RECEIVER;
            sender.tcp().connect(to, PORT).whenComplete((f, e) -> {
                if (e == null) {
                    sending.start(f);
                } else {
                    sending.closeDone.completeExceptionally(e);
                }
            });
        }

        boolean finish() {
            loop.runUntil(() -> sending.finished() && receiving.finished(), Duration.ofMinutes(2).toNanos());
            return sending.succeeded() && receiving.succeeded();
        }

        long count(DirectStack stack, String layer, String counter) {
            return stack.counters().get(layer).getOrDefault(counter, 0L);
        }

        String describe() {
            return "sending " + sending + "\nreceiving " + receiving + "\nsender tcp " + sender.counters().get("tcp")
                + "\nreceiver tcp " + receiver.counters().get("tcp");
        }
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @CsvSource({"false", "true"})
    void betweenTwoOffloadingPortsSegmentsTravelWholeAndUnverified(boolean ipv6) {
        Run run = new Run(1, NetifOffloads.ALL, NetifOffloads.ALL, ipv6, 8 << 20);
        assertTrue(run.finish(), run.describe());
        Watch s = run.senderWatch;
        assertTrue(s.tcpSentLarge > 0, "segments larger than the MTU were written: " + s.tcpSentLarge);
        // 8 MiB in 1448-byte segments would take about 5,800 frames.
        assertTrue(s.tcpSent < 2_000, "far fewer frames than wire segments: " + s.tcpSent);
        assertEquals(0, s.completeChecksums, "the checksum is left to the device");
        assertEquals(s.tcpSent, s.partialChecksums, "every TCP checksum field holds the pseudo-header sum");
        assertTrue(run.receiverWatch.largestReceived > MTU + Netif.ETHERNET_HEADER_SIZE, "coalesced on arrival");
        assertEquals(run.receiverWatch.tcpReceived, run.receiverWatch.receivedVouched, "all vouched for");
        assertEquals(0, run.count(run.receiver, "tcp", "rx.bad_checksum"));
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @CsvSource({"false", "true"})
    void towardsAPortWithoutOffloadsTheSwitchCutsAndCompletes(boolean ipv6) {
        Run run = new Run(2, NetifOffloads.ALL, NetifOffloads.NONE, ipv6, 8 << 20);
        assertTrue(run.finish(), run.describe());
        assertTrue(run.senderWatch.tcpSentLarge > 0, "the sender still writes large segments");
        assertTrue(run.receiverWatch.largestReceived <= MTU + Netif.ETHERNET_HEADER_SIZE,
            "wire-sized on arrival: " + run.receiverWatch.largestReceived);
        assertEquals(0, run.receiverWatch.receivedVouched);
        // The receiver verified every checksum the switch completed.
        assertEquals(0, run.count(run.receiver, "tcp", "rx.bad_checksum"));
        assertEquals(0, run.count(run.receiver, ipv6 ? "ipv6" : "ipv4", "rx.bad_checksum"));
        // Its ACKs go back unoffloaded, complete.
        assertEquals(0, run.receiverWatch.partialChecksums);
    }

    @Test
    void aCaptureHoldsTheCoalescedSegmentsWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("offloads.pcap");
        Run run = new Run(4, NetifOffloads.ALL, NetifOffloads.ALL, false, 2 << 20,
            port -> PcapNetif.create(port, file));
        assertTrue(run.finish(), run.describe());
        run.sender.disconnect().join();
        run.loop.runUntilIdle();
        List<PcapRecord> records = PcapReader.readAll(file);
        int largest = records.stream().mapToInt(r -> r.data().length).max().orElse(0);
        assertTrue(largest > MTU + Netif.ETHERNET_HEADER_SIZE, "segments larger than the MTU captured: " + largest);
        assertTrue(records.stream().noneMatch(PcapRecord::truncated), "none cut short");
        assertEquals(run.senderWatch.largestSent, largest, "as written: " + run.senderWatch.largestSent);
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @CsvSource({"false", "true"})
    void withoutOffloadsNothingChanges(boolean ipv6) {
        Run run = new Run(3, NetifOffloads.NONE, NetifOffloads.ALL, ipv6, 2 << 20);
        assertTrue(run.finish(), run.describe());
        assertEquals(0, run.senderWatch.tcpSentLarge, "a 64 KiB write leaves as wire segments");
        assertTrue(run.senderWatch.largestSent <= MTU + Netif.ETHERNET_HEADER_SIZE);
        assertEquals(run.senderWatch.tcpSent, run.senderWatch.completeChecksums, "every checksum complete");
        assertFalse(run.receiverWatch.receivedVouched > 0, "nothing vouches for a sender that does not offload");
    }
}
