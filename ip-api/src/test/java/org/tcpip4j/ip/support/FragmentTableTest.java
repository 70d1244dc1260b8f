package org.tcpip4j.ip.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class FragmentTableTest {

    private static final long NET = 0x2001_0002_0000_0000L;
    private static final long TIMEOUT = 60_000_000_000L;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final Counters counters = new Counters("test");
    private final List<byte[]> timedOut = new ArrayList<>();
    private final FragmentTable table = new FragmentTable(loop,
            new FragmentTable.Limits(TIMEOUT, 8, 1 << 20, 1 << 19, 64, 16), 65_535, true, counters, false,
            FragmentTableTest::assemble);

    /** The header, then the payload, in a buffer of its own. */
    private static ByteBuffer assemble(FragmentTable.Datagram d) {
        ByteBuffer out = ByteBuffer.allocate(d.header().length + d.payloadLength());
        out.put(0, d.header());
        d.copyPayload(out, d.header().length);
        return out;
    }

    /** A fragment of {@code length} bytes of value {@code fill}, after a 4-byte header of {@code fill}. */
    private ByteBuffer add(long source, long destination, int id, int offset, int length, boolean last, int fill) {
        ByteBuffer b = ByteBuffer.allocate(4 + length);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) fill);
        }
        return table.add(NET, source, NET, destination, 0, id, offset, last, b, 4, length, 0, 4, 0);
    }

    @Test
    void interleavedDatagramsOfManySourcesAreKeptApart() {
        for (int source = 1; source <= 10; source++) {
            assertNull(add(source, 100, 7, 0, 8, false, source));
        }
        for (int source = 1; source <= 10; source++) {
            ByteBuffer whole = add(source, 100, 7, 8, 8, true, source + 100);
            assertNotNull(whole, "source " + source);
            assertEquals(20, whole.capacity());
            assertEquals(source, whole.get(0));
            assertEquals(source, whole.get(4 + 7));
            assertEquals(source + 100, whole.get(4 + 8));
        }
        assertEquals(0, table.incompleteDatagrams());
        assertEquals(0, table.sources());
        assertEquals(0, table.heldBytes());
        assertEquals(10, counters.get("rx.reassembled"));
    }

    @Test
    void everyKeyFieldSeparatesDatagrams() {
        ByteBuffer b = ByteBuffer.allocate(12);
        table.add(NET, 1, NET, 2, 6, 9, 0, false, b, 4, 8, 0, 4, 0);
        assertNull(table.add(NET + 1, 1, NET, 2, 6, 9, 8, true, b, 4, 8, 0, 4, 0));
        assertNull(table.add(NET, 3, NET, 2, 6, 9, 8, true, b, 4, 8, 0, 4, 0));
        assertNull(table.add(NET, 1, NET + 1, 2, 6, 9, 8, true, b, 4, 8, 0, 4, 0));
        assertNull(table.add(NET, 1, NET, 3, 6, 9, 8, true, b, 4, 8, 0, 4, 0));
        assertNull(table.add(NET, 1, NET, 2, 17, 9, 8, true, b, 4, 8, 0, 4, 0));
        assertNull(table.add(NET, 1, NET, 2, 6, 10, 8, true, b, 4, 8, 0, 4, 0));
        assertEquals(7, table.incompleteDatagrams());
        assertNotNull(table.add(NET, 1, NET, 2, 6, 9, 8, true, b, 4, 8, 0, 4, 0));
    }

    @Test
    void theFirstFragmentsHeadersAreChargedWhenAsked() {
        add(1, 2, 1, 0, 8, false, 0);
        assertEquals(FragmentTable.DATAGRAM_OVERHEAD + FragmentTable.FRAGMENT_OVERHEAD + 8 + 4, table.heldBytes());
        assertEquals(table.heldBytes(), counters.get("rx.reassembly.held_bytes"));
        counters.reset();
        assertEquals(table.heldBytes(), counters.get("rx.reassembly.held_bytes"), "gauges survive a reset");
    }

    @Test
    void resettableGaugesAreZeroedByAResetAndSetAgainByTheNextChange() {
        Counters own = new Counters("test");
        FragmentTable plain = new FragmentTable(loop, new FragmentTable.Limits(TIMEOUT, 8, 1 << 20, 1 << 19, 64, 16),
                65_535, false, own, true, FragmentTableTest::assemble);
        ByteBuffer b = ByteBuffer.allocate(12);
        plain.add(NET, 1, NET, 2, 0, 1, 0, false, b, 4, 8, 0, 4, 0);
        assertEquals(FragmentTable.DATAGRAM_OVERHEAD + FragmentTable.FRAGMENT_OVERHEAD + 8, plain.heldBytes());
        own.reset();
        assertEquals(0, own.get("rx.reassembly.held_bytes"));
        plain.add(NET, 1, NET, 2, 0, 2, 0, false, b, 4, 8, 0, 4, 0);
        assertEquals(plain.heldBytes(), own.get("rx.reassembly.held_bytes"));
    }

    @Test
    void anOverlapDiscardsTheDatagramAndAnExactDuplicateIsIgnored() {
        add(1, 2, 1, 0, 16, false, 0);
        assertNull(add(1, 2, 1, 0, 16, false, 0));
        assertEquals(1, counters.get("rx.reassembly.duplicates"));
        assertEquals(1, table.incompleteDatagrams());
        assertNull(add(1, 2, 1, 8, 16, true, 0));
        assertEquals(1, counters.get("rx.reassembly.overlaps"));
        assertEquals(0, table.incompleteDatagrams());
        assertEquals(0, table.heldBytes());
    }

    @Test
    void aTimedOutDatagramReportsItsFirstFragment() {
        table.onTimeout((header, first) -> {
            timedOut.add(header);
            timedOut.add(first);
        });
        add(1, 2, 1, 0, 8, false, 5);
        add(1, 2, 2, 8, 8, false, 6);
        loop.runFor(TIMEOUT);
        assertEquals(2, counters.get("rx.reassembly.timeouts"));
        assertEquals(2, timedOut.size(), "only the datagram whose first fragment came");
        assertArrayEquals(new byte[] {5, 5, 5, 5}, timedOut.get(0));
        assertEquals(8, timedOut.get(1).length);
        assertEquals(0, table.sources());
    }

    @Test
    void aSourcesDatagramBudgetHoldsAcrossItsDatagrams() {
        for (int id = 0; id < 20; id++) {
            add(1, 2, id, 0, 8, false, 0);
        }
        assertEquals(16, table.incompleteDatagrams());
        assertEquals(16, table.largestSourceDatagrams());
        assertEquals(4, counters.get("rx.reassembly.source_datagram_limit"));
        add(3, 2, 0, 0, 8, false, 0);
        assertEquals(2, table.sources());
    }
}
