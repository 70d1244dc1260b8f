package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.internal.OffloadFrames;
import org.tcpip4j.netif.tap.internal.SocketPair;
import org.tcpip4j.netif.tap.internal.VirtioNetHeader;

/**
 * {@link TapNetif} with offloads over one end of a seqpacket socket pair, the test playing
 * the kernel at the other end: every message carries a virtio_net_hdr, which the device
 * fills in for what it sends and reads for what it delivers. No root needed.
 */
class TapNetifOffloadsOverSocketTest {

    private static final int MTU = 1500;
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    private RealTimeEventLoop loop;

    /** The loop the device runs on: one with a reader thread per device here. */
    RealTimeEventLoop newLoop() {
        return new RealTimeEventLoop("tap-offload-test");
    }
    private SocketPair pair;
    private TapNetif netif;

    private void open(boolean offloads) {
        loop = newLoop();
        pair = new SocketPair();
        netif = TapNetif.overDescriptor(pair.device, TapConfig.builder().interfaceName("pair0").mac(MAC).mtu(MTU)
                .receiveQueueCapacity(16).offloads(offloads).build(), loop);
    }

    @AfterEach
    void close() throws Exception {
        netif.disconnect().get(5, TimeUnit.SECONDS);
        pair.close();
        loop.close();
    }

    private <T> T onLoop(Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    private Result<NetifError> write(byte[] frame) throws Exception {
        return onLoop(() -> netif.write(frame.length, (buffer, offset, max) -> {
            buffer.put(offset, frame);
            return frame.length;
        }));
    }

    /** What the "kernel" reads: the header, checked to be there, and the frame after it. */
    private record Sent(MemorySegment header, byte[] frame) {
    }

    private Sent receive() throws Exception {
        byte[] message = pair.receive(2000);
        assertTrue(message != null && message.length >= VirtioNetHeader.SIZE, "no message with a header");
        return new Sent(MemorySegment.ofArray(Arrays.copyOf(message, VirtioNetHeader.SIZE)),
                Arrays.copyOfRange(message, VirtioNetHeader.SIZE, message.length));
    }

    private static byte[] withHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset,
                                     byte[] frame) {
        byte[] message = new byte[VirtioNetHeader.SIZE + frame.length];
        VirtioNetHeader.write(MemorySegment.ofArray(message), flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
        System.arraycopy(frame, 0, message, VirtioNetHeader.SIZE, frame.length);
        return message;
    }

    private static void assertHeader(MemorySegment h, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                                     int csumOffset) {
        assertEquals(flags, VirtioNetHeader.flags(h), "flags");
        assertEquals(gsoType, VirtioNetHeader.gsoType(h), "gso_type");
        assertEquals(hdrLen, VirtioNetHeader.hdrLen(h), "hdr_len");
        assertEquals(gsoSize, VirtioNetHeader.gsoSize(h), "gso_size");
        assertEquals(csumStart, VirtioNetHeader.csumStart(h), "csum_start");
        assertEquals(csumOffset, VirtioNetHeader.csumOffset(h), "csum_offset");
    }

    /** A frame as delivered, with what {@code rxChecksumValid()} said during its delivery. */
    private record Delivered(byte[] frame, boolean checksumValid) {
    }

    private List<Delivered> listen() {
        List<Delivered> delivered = new CopyOnWriteArrayList<>();
        netif.listen(frame -> {
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            delivered.add(new Delivered(copy, netif.rxChecksumValid()));
        });
        return delivered;
    }

    private static void await(List<?> list, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, list.size());
    }

    @Test
    void offersChecksumsSegmentationAndCoalescing() {
        open(true);
        assertEquals(new NetifOffloads(true, true, true, true, true, NetifOffloads.MAX_TSO_FRAME), netif.offloads());
    }

    @Test
    void aLargeTcpSegmentGoesWithTheGsoFieldsTheKernelCutsBy() throws Exception {
        open(true);
        byte[] frame = OffloadFrames.tcp4(0, 12, 30_000, OffloadFrames.ACK, 0x4000);
        assertTrue(write(frame).isOk());
        Sent sent = receive();
        assertHeader(sent.header(), VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 14 + 20 + 32,
                MTU - 20 - 32, 34, 16);
        assertArrayEquals(frame, sent.frame());

        frame = OffloadFrames.tcp6(0, NetifOffloads.MAX_TSO_FRAME - 14 - 40 - 20, OffloadFrames.ACK, 6);
        assertEquals(NetifOffloads.MAX_TSO_FRAME, frame.length);
        assertTrue(write(frame).isOk());
        sent = receive();
        assertHeader(sent.header(), VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6, 14 + 40 + 20,
                MTU - 40 - 20, 54, 16);
        assertArrayEquals(frame, sent.frame());

        assertEquals(2, netif.stats().txPackets());
        assertEquals(30_000 + 14 + 20 + 32 + NetifOffloads.MAX_TSO_FRAME, netif.stats().txBytes());
        assertEquals(2, netif.offloadCounters().get("tx.gso"));
        assertEquals(2, netif.offloadCounters().get("tx.csum_offloaded"));
    }

    @Test
    void aSmallTcpSegmentGoesForTheChecksumAndTheRestPlain() throws Exception {
        open(true);
        byte[] tcp = OffloadFrames.tcp4(0, 0, 100, OffloadFrames.ACK, 0x4000);
        assertTrue(write(tcp).isOk());
        Sent sent = receive();
        assertHeader(sent.header(), VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 34, 16);
        assertArrayEquals(tcp, sent.frame());

        for (byte[] frame : new byte[][] {OffloadFrames.udp4(MTU - 28), OffloadFrames.arp(),
            OffloadFrames.tcp4(0, 0, 100, OffloadFrames.ACK, 0x2000)}) {
            assertTrue(write(frame).isOk());
            sent = receive();
            assertHeader(sent.header(), 0, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0);
            assertArrayEquals(frame, sent.frame());
        }
        assertEquals(1, netif.offloadCounters().get("tx.csum_offloaded"));
        assertEquals(0, netif.offloadCounters().get("tx.gso"));
    }

    @Test
    void aLargeFrameThatIsNotACuttableTcpSegmentIsRefused() throws Exception {
        open(true);
        Result<NetifError> r = write(OffloadFrames.udp4(5000));
        assertEquals(new NetifError.ExceedsMtu(14 + 28 + 5000, MTU + 14), ((Result.Err<NetifError>) r).error());
        // Over the largest segment the kernel cuts: refused before the writer runs.
        r = onLoop(() -> netif.write(NetifOffloads.MAX_TSO_FRAME + 1, (buffer, offset, max) -> {
            throw new AssertionError("the writer must not run");
        }));
        assertInstanceOf(NetifError.ExceedsMtu.class, ((Result.Err<NetifError>) r).error());
        assertNull(pair.receive(50));
        assertEquals(2, netif.stats().txDrops());
        assertEquals(0, netif.stats().txPackets());
    }

    @Test
    void checksumValidityFollowsEachFramesHeaderDuringItsDeliveryOnly() throws Exception {
        open(true);
        List<Delivered> delivered = listen();
        byte[] frame = OffloadFrames.tcp4(0, 0, 200, OffloadFrames.ACK, 0x4000);
        pair.send(withHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0, frame));
        pair.send(withHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 34, 16, frame));
        pair.send(withHeader(0, 0, 0, 0, 0, 0, frame));
        pair.send(withHeader(VirtioNetHeader.F_NEEDS_CSUM | VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 34, 16, frame));
        await(delivered, 4);
        assertEquals(List.of(true, true, false, true), delivered.stream().map(Delivered::checksumValid).toList());
        for (Delivered d : delivered) {
            assertArrayEquals(frame, d.frame(), "the frame alone, without the header");
        }
        assertFalse(onLoop(netif::rxChecksumValid), "outside a delivery");
        assertEquals(3, netif.offloadCounters().get("rx.csum_vouched"));
        assertEquals(4, netif.stats().rxPackets());
    }

    @Test
    void aHandlerThatThrowsLeavesNoVouchingBehind() throws Exception {
        open(true);
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        netif.listen(frame -> {
            seen.add(netif.rxChecksumValid());
            if (seen.size() == 1) {
                throw new IllegalStateException("a failing handler");
            }
        });
        byte[] frame = OffloadFrames.arp();
        pair.send(withHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0, frame));
        await(seen, 1);
        assertFalse(onLoop(netif::rxChecksumValid), "still vouching after the handler threw");
        pair.send(withHeader(0, 0, 0, 0, 0, 0, frame));
        await(seen, 2);
        assertEquals(List.of(true, false), seen);
    }

    @Test
    void aCoalescedFrameOf64KibIsDeliveredWholeAndCounted() throws Exception {
        open(true);
        List<Delivered> delivered = listen();
        byte[] frame = OffloadFrames.tcp4(0, 12, NetifOffloads.MAX_TSO_FRAME - 14 - 20 - 32, OffloadFrames.ACK, 0x4000);
        assertEquals(65_549, frame.length);
        pair.send(withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 66,
                1448, 34, 16, frame));
        byte[] frame6 = OffloadFrames.tcp6(0, 20_000, OffloadFrames.ACK, 6);
        pair.send(withHeader(VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.GSO_TCPV6, 74, 1440, 0, 0, frame6));
        await(delivered, 2);
        assertArrayEquals(frame, delivered.get(0).frame());
        assertTrue(delivered.get(0).checksumValid());
        assertArrayEquals(frame6, delivered.get(1).frame());
        assertEquals(2, netif.offloadCounters().get("rx.coalesced"));
        assertEquals(2, netif.stats().rxPackets());
        assertEquals(frame.length + frame6.length, netif.stats().rxBytes());
        assertEquals(0, netif.stats().rxDrops());
    }

    @Test
    void aLargeFrameThatIsNotCoalescedTcpIsDropped() throws Exception {
        open(true);
        List<Delivered> delivered = listen();
        byte[] large = OffloadFrames.tcp4(0, 0, 5000, OffloadFrames.ACK, 0x4000);
        pair.send(withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 34, 16, large));
        pair.send(withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 42, 1000, 34, 6,
                OffloadFrames.udp4(5000)));
        // The largest frame that is not coalesced: the MTU and a VLAN tag.
        byte[] largestPlain = OffloadFrames.udp4(MTU - 28 + 4);
        pair.send(withHeader(0, 0, 0, 0, 0, 0, largestPlain));
        await(delivered, 1);
        assertArrayEquals(largestPlain, delivered.get(0).frame());
        assertEquals(1, netif.offloadCounters().get("rx.oversize"));
        assertEquals(1, netif.offloadCounters().get("rx.unsupported_gso"));
        assertEquals(2, netif.stats().rxDrops());
    }

    @Test
    void withoutOffloadsFramesArePlainAndTheMtuIsTheLimit() throws Exception {
        open(false);
        assertEquals(NetifOffloads.NONE, netif.offloads());
        byte[] tcp = OffloadFrames.tcp4(0, 0, 100, OffloadFrames.ACK, 0x4000);
        assertTrue(write(tcp).isOk());
        assertArrayEquals(tcp, pair.receive(2000), "no header in front");
        Result<NetifError> r = write(OffloadFrames.tcp4(0, 0, 5000, OffloadFrames.ACK, 0x4000));
        assertEquals(new NetifError.ExceedsMtu(14 + 40 + 5000, MTU + 14), ((Result.Err<NetifError>) r).error());
        assertNull(pair.receive(50));
        List<Delivered> delivered = listen();
        pair.send(tcp);
        await(delivered, 1);
        assertArrayEquals(tcp, delivered.get(0).frame());
        assertFalse(delivered.get(0).checksumValid());
        assertEquals(0, netif.offloadCounters().get("tx.csum_offloaded"));
    }
}
