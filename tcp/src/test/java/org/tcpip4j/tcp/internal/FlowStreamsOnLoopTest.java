package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The blocking streams over a flow, used on its event loop, fail at once: their futures
 * complete on that loop, so waiting there would wait forever. The tests run on a thread of
 * their own with a time limit, so a wait forever fails instead of hanging the build.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlowStreamsOnLoopTest {

    @Test
    void readingOnTheLoopFailsAtOnceWhetherDataIsThereOrNot() {
        TcpHarness h = new TcpHarness(); // the test's thread drives the loop: it is the loop's thread
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        assertTrue(flow.inEventLoop());
        InputStream in = flow.inputStream();
        IllegalStateException e = assertThrows(IllegalStateException.class, in::read, "no data yet: would wait forever");
        assertEquals("a blocking read on the event loop would wait forever for the loop itself: use TcpFlow.read() there",
            e.getMessage());
        h.inject(from(40000, 80, ACK, 5001, 1001).payload("hi"));
        assertThrows(IllegalStateException.class, () -> in.read(new byte[4], 0, 4), "the same with data there");
    }

    @Test
    void writingOrClosingOnTheLoopFailsAtOnce() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        OutputStream out = flow.outputStream();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.write(new byte[100]));
        assertEquals("a blocking write on the event loop would wait forever for the loop itself: use TcpFlow.write()"
            + " there", e.getMessage());
        assertThrows(IllegalStateException.class, out::close);
        h.settle();
        h.sentNothing();
    }

    @Test
    void offTheLoopTheStreamsBlockAsBefore() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<Integer> read = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                assertFalse(flow.inEventLoop());
                read.complete(flow.inputStream().read());
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        h.inject(from(40000, 80, ACK, 5001, 1001).payload("A"));
        while (!read.isDone()) {
            h.loop.runFor(1_000_000); // the reader's call reaches the loop as a foreign task
        }
        assertEquals('A', read.get());
        reader.join();
    }
}
