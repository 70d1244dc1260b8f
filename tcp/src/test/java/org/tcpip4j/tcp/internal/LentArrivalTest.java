package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.DataTransferTest.bytes;
import static org.tcpip4j.tcp.internal.DataTransferTest.open;
import static org.tcpip4j.tcp.internal.FlowReadFormsTest.inject;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.internal.FlowReadFormsTest.Recorder;

/**
 * In-order bytes lent to a waiting reception straight from a read-only frame, never copied
 * into the receive buffer: what the reception sees, what TCP sends back (the same segments
 * as when the bytes go through the buffer), and what happens to the bytes a receiver leaves
 * and to a receiver that calls the flow while it is lent a frame. Our buffers are 8 KiB,
 * the peer's segments 1000 bytes.
 */
class LentArrivalTest {

    private static TcpHarness harness(boolean readOnlyFrames) {
        TcpHarness h = new TcpHarness();
        h.readOnlyFrames = readOnlyFrames;
        return h;
    }

    private static long lent(TcpHarness h) {
        return h.tcp.counters().get("rx.bytes_lent");
    }

    /** {@code r} receives from {@code flow}, its reception started. */
    private static <R extends Recorder> R receiving(TcpHarness h, TcpFlow flow, R r) {
        flow.receive(r);
        h.settle();
        return r;
    }

    @ParameterizedTest(name = "read-only frames: {0}")
    @ValueSource(booleans = {true, false})
    void bytesInOrderGoToAWaitingReceptionFromAReadOnlyFrameAndAreCopiedFromAWritableOne(boolean readOnly) {
        TcpHarness h = harness(readOnly);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = receiving(h, flow, new Recorder());
        byte[] data = bytes(5000, 1);
        inject(h, data, 0);
        assertArrayEquals(data, r.bytes.toByteArray());
        assertTrue(r.readOnly);
        assertEquals(readOnly ? 5000 : 0, lent(h));
        if (readOnly) {
            assertEquals(List.of(1000, 1000, 1000, 1000, 1000), r.views, "one view per segment, the segment's payload");
            ReceiveBuffer buffer = h.connection(flow).receiver.buffer;
            assertEquals(0, buffer.readable());
            assertFalse(buffer.holdsMemory(), "no byte was stored");
        }
    }

    @Test
    void theSegmentsSentBackAreThoseOfBytesThatWentThroughTheBuffer() {
        List<List<TestSegment>> sent = new ArrayList<>();
        for (boolean readOnly : new boolean[] {true, false}) {
            TcpHarness h = harness(readOnly);
            TcpFlow flow = open(h, 1000, 8192);
            receiving(h, flow, new Recorder());
            List<TestSegment> segments = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                inject(h, bytes(1000, i), 1000 * i);
                segments.addAll(h.sent());
                h.advance(java.time.Duration.ofMillis(i % 3 == 0 ? 50 : 1));
                segments.addAll(h.sent());
            }
            assertEquals(readOnly ? 12000 : 0, lent(h));
            sent.add(segments);
        }
        assertFalse(sent.getFirst().isEmpty());
        assertEquals(sent.get(1), sent.getFirst(), "ACKs and windows as when the reader read from the buffer");
    }

    @Test
    void whatTheReceiverLeavesIsStoredAndComesFirstWhenItResumes() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder();
        r.take = 300;
        FlowReception reception = flow.receive(r);
        h.settle();
        byte[] data = bytes(3000, 1);
        inject(h, data, 0);
        assertEquals(300, r.bytes.size());
        assertTrue(reception.isPaused(), "bytes left in the view: paused");
        assertEquals(300, lent(h));
        assertEquals(2700, h.connection(flow).receiver.buffer.readable(), "the rest of the first segment, then two more");
        r.take = -1;
        reception.resume();
        h.settle();
        assertArrayEquals(data, r.bytes.toByteArray(), "in order, nothing lost");
        byte[] more = bytes(1000, 9);
        inject(h, more, 3000);
        assertEquals(4000, r.bytes.size());
        assertEquals(1300, lent(h), "the buffer empty again: lent from the frame again");
    }

    @Test
    void aSegmentBehindAHoleIsStoredAndTheOneFillingItToo() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = receiving(h, flow, new Recorder());
        byte[] data = bytes(2000, 1);
        inject(h, Arrays.copyOfRange(data, 1000, 2000), 1000);
        assertEquals(0, r.bytes.size());
        inject(h, Arrays.copyOfRange(data, 0, 1000), 0);
        assertArrayEquals(data, r.bytes.toByteArray());
        assertEquals(0, lent(h), "out-of-order data waited in the buffer: everything goes through it");
    }

    @Test
    void theBytesOfASegmentCarryingAFinComeBeforeTheEnd() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        List<String> calls = new ArrayList<>();
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                calls.add("data " + view.remaining());
                super.data(view);
            }

            @Override
            public void end() {
                calls.add("end");
                super.end();
            }
        };
        flow.receive(r);
        h.settle();
        h.inject(from(40000, 80, ACK | FIN, 5001, 1001).payload(bytes(100, 1)));
        h.settle();
        assertEquals(List.of("data 100", "end"), calls);
        assertEquals(100, lent(h));
        assertEquals(5001 + 101, h.sent().getLast().ack, "the FIN acknowledged");
    }

    @Test
    void aReceiverThatEchoesAndClosesFromTheLentFrameSendsItsDataThenItsFin() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                ByteBuffer copy = ByteBuffer.allocate(view.remaining()).put(view).flip();
                flow.write(copy);
                flow.close();
            }
        };
        flow.receive(r);
        h.settle();
        byte[] data = bytes(500, 1);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(data));
        h.settle();
        List<TestSegment> sent = h.sent();
        TestSegment echo = sent.getFirst();
        assertEquals(1001, echo.seq);
        assertEquals(5501, echo.ack);
        assertArrayEquals(data, echo.payload, "the echo, sent from within the lend");
        assertTrue(sent.stream().anyMatch(s -> (s.flags & FIN) != 0), "then the FIN: " + sent);
        assertEquals(TcpState.FIN_WAIT_1, h.connection(flow).state);
    }

    @Test
    void theWindowSentFromWithinALendCountsTheLentBytesAsHeldSoWhatIsLeftFits() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                flow.write(ByteBuffer.wrap(new byte[] {42})); // a segment, and its window, from within the lend
                super.data(view);
            }
        };
        r.take = 300;
        FlowReception reception = flow.receive(r);
        h.settle();
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(1000, 1)));
        TestSegment reply = h.sent().getFirst();
        assertEquals(1, reply.payload.length);
        assertEquals(8192 - 1000, reply.window, "the 1000 bytes lent count as held while they are lent");
        assertTrue(reception.isPaused());
        ReceiveBuffer buffer = h.connection(flow).receiver.buffer;
        assertEquals(700, buffer.readable());
        assertTrue(reply.window <= buffer.space(), "the edge offered fits what the buffer can still take");
    }

    @Test
    void aReceiverThatShutsReadingWhileLentLosesTheRestAndTheStreamEnds() {
        TcpHarness h = harness(true);
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                super.data(view);
                flow.shutdown(Shutdown.READ);
            }
        };
        r.take = 10;
        flow.receive(r);
        h.settle();
        inject(h, bytes(3000, 1), 0);
        h.settle();
        assertEquals(10, r.bytes.size());
        assertEquals(1, r.ends);
        assertEquals(0, h.connection(flow).receiver.buffer.readable(), "nothing kept after a shut read");
        assertEquals(ReadResult.EOF, flow.read().resultNow());
    }
}
