package org.tcpip4j.tcp.congestion;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.congestion.TestSample.MS;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tcpip4j.testsupport.AllocationMeter;

/** CUBIC is asked on every ACK: slow start, HyStart++, congestion avoidance and losses allocate nothing. */
class CubicAllocationTest {

    private static void exercise(Cubic cc, TestSample s) {
        s.growTo(cc, 300 * 1000);
        for (int i = 0; i < 50; i++) {
            s.lossAndRecovery(cc);
            s.rounds(cc, 100 * MS, 2);
            if (i % 10 == 9) {
                s.timeout(cc, 1);
                cc.onUndo(s);
            }
        }
    }

    @Test
    void acknowledgmentsAllocateNothing() {
        TestSample s = new TestSample().rtt(100 * MS);
        exercise(new Cubic(1000), s);
        Assumptions.assumeTrue(AllocationMeter.allocatedBytes() >= 0, "the JVM counts allocations");
        Cubic cc = new Cubic(1000);
        long before = AllocationMeter.allocatedBytes();
        exercise(cc, s);
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + cc.cwnd() + "-byte windows");
    }
}
