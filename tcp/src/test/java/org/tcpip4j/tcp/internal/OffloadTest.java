package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.from;
import static org.tcpip4j.tcp.internal.wire.TcpHeader.ACK;
import static org.tcpip4j.tcp.internal.wire.TcpHeader.SYN;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * TCP over a device that offloads ({@link NetifOffloads}), with exact segments: segments of
 * many MSS towards a device that cuts them (TSO), only when it cuts to our MSS; the
 * checksum left as the pseudo-header sum; recovery by the wire segments the device made;
 * and coalesced segments received whole, in order and out of order (SACK), verified only
 * when the device does not vouch for them. Our ISN is 1000, the peer's 5000, MSS 1460 on
 * a 1480-byte IP MTU (no timestamps), buffers 64 KiB.
 */
class OffloadTest {

    static final TcpConfig BUFFERS_64K = new TcpConfig(65536, 65536, Duration.ofSeconds(30), 3, 4, 4)
        .withCongestionControl("newreno");

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack);
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** Passive open with SACK-Permitted, the peer's MSS {@code peerMss} and window 65535. */
    static TcpFlow open(TcpHarness h, int peerMss) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(65535).mss(peerMss).sackPermitted());
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535));
        return h.accepted.removeFirst();
    }

    static TcpHarness offloading() {
        TcpHarness h = new TcpHarness(BUFFERS_64K);
        h.ip.offloads = NetifOffloads.ALL;
        return h;
    }

    /** The checksum field of the segment TCP wrote last. */
    static int lastChecksumField(TcpHarness h) {
        ByteBuffer b = h.ip.written.getLast().segment();
        return b.getShort(16) & 0xffff;
    }

    static int pseudoSum(TcpHarness h, int length) {
        return InternetChecksum.fold16(CapturingIp.pseudoheader(TcpHarness.LOCAL, TcpHarness.REMOTE, IpProtocol.TCP,
            length));
    }

    @Test
    void aFlightGoesAsOneSegmentOfManyMssWithThePseudoHeaderSum() {
        TcpHarness h = offloading();
        TcpFlow flow = open(h, 1460);
        byte[] data = bytes(40_000);
        flow.write(ByteBuffer.wrap(data));
        h.settle();
        List<CapturingIp.Written> written = List.copyOf(h.ip.written);
        List<TestSegment> sent = h.sent();
        assertEquals(1, sent.size(), "one write to the device: " + sent);
        TestSegment s = sent.getFirst();
        assertEquals(0, s.payload.length % 1460, "whole segments of the MSS");
        assertTrue(s.payload.length >= 2 * 1460, "more than one: " + s.payload.length);
        assertArrayEquals(Arrays.copyOf(data, s.payload.length), s.payload);
        ByteBuffer raw = written.getLast().segment();
        assertEquals(pseudoSum(h, raw.remaining()), raw.getShort(16) & 0xffff, "left to the device");
    }

    @Test
    void aPeerMssBelowTheLinksLeavesSegmentationToUs() {
        TcpHarness h = offloading();
        TcpFlow flow = open(h, 1400);
        flow.write(ByteBuffer.wrap(bytes(40_000)));
        h.settle();
        int checksumField = lastChecksumField(h);
        int lastLength = h.ip.written.getLast().segment().remaining();
        List<TestSegment> sent = h.sent();
        assertTrue(sent.size() >= 2, "several segments");
        for (TestSegment s : sent) {
            assertTrue(s.payload.length <= 1400, "no larger than the peer's MSS: " + s.payload.length);
        }
        assertEquals(pseudoSum(h, lastLength), checksumField, "the checksum is still the device's to finish");
    }

    @Test
    void withoutTsoA64KiBWriteLeavesAsWireSegmentsWithWholeChecksums() {
        TcpHarness h = new TcpHarness(BUFFERS_64K);
        TcpFlow flow = open(h, 1460);
        flow.write(ByteBuffer.wrap(bytes(65_536)));
        h.settle();
        for (CapturingIp.Written w : h.ip.written) {
            ByteBuffer b = w.segment();
            assertTrue(b.remaining() <= 1480);
            long sum = CapturingIp.pseudoheader(TcpHarness.LOCAL, TcpHarness.REMOTE, IpProtocol.TCP, b.remaining());
            assertEquals(0xffff, InternetChecksum.fold16(InternetChecksum.sum(b, 0, b.remaining(), sum)));
        }
    }

    @Test
    void aLossInsideALargeSegmentResendsOnlyTheWireSegmentLost() {
        TcpHarness h = offloading();
        TcpFlow flow = open(h, 1460);
        flow.write(ByteBuffer.wrap(bytes(60_000)));
        h.settle();
        TestSegment first = h.sent().getFirst();
        // The first flight arrives whole; the window grows and the next flight is larger.
        h.inject(from(40000, 80, ACK, 5001, 1001 + first.payload.length).window(65535));
        h.settle();
        TestSegment big = h.sent().getFirst();
        int segments = big.payload.length / 1460;
        assertTrue(segments >= 4, "a flight of at least four: " + segments);
        // The device cut it; the peer lost the second wire segment and SACKs the rest.
        int lostStart = big.seq + 1460;
        int end = big.seq + big.payload.length;
        h.inject(from(40000, 80, ACK, 5001, lostStart).window(65535));
        for (int k = 3; k <= segments; k++) {
            h.inject(from(40000, 80, ACK, 5001, lostStart).window(65535).sack(lostStart + 1460, big.seq + k * 1460));
        }
        h.advance(Duration.ofMillis(100)); // RACK's reordering window, well within the RTO
        List<TestSegment> after = h.sent();
        TestSegment resent = after.stream().filter(s -> s.seq == lostStart).findFirst()
            .orElseThrow(() -> new AssertionError("the lost segment was not resent: " + after));
        assertEquals(1460, resent.payload.length, "just the wire segment lost");
        assertTrue(after.stream().noneMatch(s -> s.seq > lostStart && s.seq < end), "nothing SACKed resent");
    }

    @Test
    void coalescedSegmentsAreReceivedWholeInOrderAndOutOfOrder() throws Exception {
        TcpHarness h = offloading();
        TcpFlow flow = open(h, 1460);
        byte[] data = bytes(5 * 1448);
        // Segments 3..5, coalesced by the device, arrive first: one SACK block covers them.
        byte[] tail = Arrays.copyOfRange(data, 2 * 1448, data.length);
        h.ip.vouch = true;
        h.inject(from(40000, 80, ACK, 5001 + 2 * 1448, 1001).window(65535).payload(tail));
        TestSegment dupack = h.sentOne();
        assertEquals(5001, dupack.ack);
        assertArrayEquals(new int[] {5001 + 2 * 1448, 5001 + data.length}, dupack.sack,
            "SACK of the whole coalesced segment");
        // Then segments 1 and 2, coalesced too: everything is acknowledged.
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535).payload(Arrays.copyOf(data, 2 * 1448)));
        TestSegment ack = h.sentOne();
        assertEquals(5001 + data.length, ack.ack);
        ReadResult r = flow.read().getNow(null);
        ByteBuffer got = ((ReadResult.Data) r).data();
        byte[] read = new byte[got.remaining()];
        got.get(read);
        assertArrayEquals(data, read);
    }

    @Test
    void aVouchedSegmentIsNotVerifiedAndAnUnvouchedOneIs() {
        TcpHarness h = offloading();
        open(h, 1460);
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535).payload(bytes(3000)).corrupt());
        assertEquals(1, h.tcp.counters().get("rx.bad_checksum"), "dropped: nothing vouched for it");
        h.ip.vouch = true;
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535).payload(bytes(3000)).corrupt());
        assertEquals(1, h.tcp.counters().get("rx.bad_checksum"), "taken: the device vouched for it");
        h.advance(Duration.ofMillis(Receiver.DELAYED_ACK_MILLIS));
        assertEquals(5001 + 3000, h.sent().getLast().ack);
    }

    @Test
    void aCoalescedSegmentIsAcknowledgedAtOnceAndLeavesTheSegmentSizeEstimateAlone() {
        TcpHarness h = offloading();
        open(h, 1460);
        h.ip.vouch = true;
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535).payload(bytes(4 * 1460)));
        assertEquals(5001 + 4 * 1460, h.sentOne().ack, "four segments' worth: at once (RFC 5681 4.2)");
        // A single full segment after it waits for a second one, as before the coalesced one.
        h.inject(from(40000, 80, ACK, 5001 + 4 * 1460, 1001).window(65535).payload(bytes(1460)));
        assertEquals(List.of(), h.sent(), "one segment: the ACK is delayed");
        h.inject(from(40000, 80, ACK, 5001 + 5 * 1460, 1001).window(65535).payload(bytes(1460)));
        assertEquals(5001 + 6 * 1460, h.sentOne().ack, "the second: at once");
    }
}
