package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.DataTransferTest.bytes;
import static org.tcpip4j.tcp.internal.DataTransferTest.open;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Buffer sizes fixed on one connection ({@link TcpFlow#setBufferSizes}, Linux's SO_SNDBUF
 * and SO_RCVBUF): the window offered and the bytes a write buffers follow them, and
 * auto-tuning leaves them alone. Our ISN is 1000, the peer's 5000, the stack's buffers 8 KiB.
 */
class BufferSizesTest {

    @Test
    void aFixedReceiveSizeBoundsTheWindowOfferedWithoutRetractingIt() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        flow.setBufferSizes(0, 3000);
        h.settle();
        h.sentNothing(); // a smaller size opens nothing: nothing to say
        int seq = 5001;
        int edge = 5001 + 8192; // what the handshake offered
        int largestLater = 0;
        for (int i = 0; i < 12; i++) {
            h.inject(from(40000, 80, ACK, seq, 1001).payload(bytes(1000, i)));
            seq += 1000;
            assertEquals(1000, ((ReadResult.Data) flow.read().get()).data().remaining());
            h.advance(Duration.ofMillis(200));
            for (TestSegment s : h.sent()) {
                assertTrue(s.ack + s.window >= edge, "segment " + i + ": the edge offered, " + edge
                    + ", is never retracted: " + s);
                edge = s.ack + s.window;
                if (i >= 8) {
                    largestLater = Math.max(largestLater, s.window);
                }
            }
        }
        assertTrue(largestLater > 0 && largestLater <= 3000,
            "past the edge the stack's 8 KiB offered, the window is at most the fixed 3000: " + largestLater);
    }

    @Test
    void aFixedSendSizeBoundsWhatWritesBuffer() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 0); // a shut window: nothing leaves, the buffer fills
        flow.setBufferSizes(1500, 0);
        CompletableFuture<Void> first = flow.write(ByteBuffer.wrap(bytes(1500, 1)));
        CompletableFuture<Void> second = flow.write(ByteBuffer.wrap(bytes(10, 2)));
        h.settle();
        assertTrue(first.isDone(), "1500 bytes fit");
        assertFalse(second.isDone(), "the 1501st byte waits for room");
        assertEquals(1500, h.connection(flow).sender.buffer.limit());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, 2001).window(8192));
        assertTrue(second.isDone(), "room once 1000 bytes are acknowledged");
    }

    @Test
    void autoTuningLeavesAFixedSendSizeAlone() throws Exception {
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        TcpFlow flow = open(h, 1000, 65535);
        flow.setBufferSizes(4000, 0);
        h.settle();
        for (int i = 0; i < 20; i++) {
            flow.write(ByteBuffer.wrap(bytes(4000, i)));
            h.settle();
            int acked = h.connection(flow).sender.sndMax;
            h.sent();
            h.inject(from(40000, 80, ACK, 5001, acked).window(65535));
        }
        assertEquals(4000, h.connection(flow).sender.buffer.limit(), "not grown with the window");
    }

    @Test
    void sizesOutOfRangeAreRefused() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        assertThrows(IllegalArgumentException.class, () -> flow.setBufferSizes(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> flow.setBufferSizes(0, TcpConfig.MAX_BUFFER_SIZE + 1));
    }
}
