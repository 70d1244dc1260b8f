package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumTest {

    @Test
    void comparesAcrossTheWrap() {
        int before = 0xFFFF_FFF0;
        int after = 0x0000_0010;
        assertTrue(SeqNum.lt(before, after));
        assertTrue(SeqNum.le(before, after));
        assertTrue(SeqNum.gt(after, before));
        assertTrue(SeqNum.ge(after, before));
        assertFalse(SeqNum.lt(after, before));
        assertEquals(after, SeqNum.max(before, after));
        assertEquals(before, SeqNum.min(before, after));
        assertEquals(0x20, SeqNum.distance(before, after));
    }

    @Test
    void windowsSpanTheWrap() {
        int start = 0xFFFF_FF00;
        int end = start + 0x200;
        assertTrue(SeqNum.inWindow(0xFFFF_FFFF, start, end));
        assertTrue(SeqNum.inWindow(0, start, end));
        assertTrue(SeqNum.inWindow(0xFF, start, end));
        assertFalse(SeqNum.inWindow(0x100, start, end));
        assertFalse(SeqNum.inWindow(start - 1, start, end));
        assertFalse(SeqNum.inWindow(start, start, start), "an empty window holds nothing");
    }

    @Test
    void printsUnsigned() {
        assertEquals("4294967295", SeqNum.toString(-1));
    }
}
