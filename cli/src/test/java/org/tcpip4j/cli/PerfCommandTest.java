package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code tcpip4j perf} over the stacks that need no root: in memory, and the host kernel over loopback. */
@Timeout(60)
class PerfCommandTest {

    private record Run(int code, String out) {
    }

    private static Run perf(String... args) {
        CapturedOutput output = new CapturedOutput();
        PerfCommand perf = new PerfCommand();
        perf.out = output.stream;
        CommandLine cl = Main.configure(new CommandLine(perf));
        cl.setErr(new java.io.PrintWriter(output.stream, true));
        int code = cl.execute(args);
        return new Run(code, output.text());
    }

    /** The size the "total" line reports ("19.1 MiB"), after checking its throughput is positive. */
    private static String totalTransferred(String out) {
        Matcher m = Pattern.compile("(?m)^\\s+0\\.0-\\s*[\\d.]+ s\\s+(\\S+ \\S+)\\s+([\\d.]+) Gbit/s  total$").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(2)) > 0, out);
        return m.group(1);
    }

    @Test
    void directMemorySendsExactlyTheBytesAskedForAndReportsRetransmissionsAndCpu() {
        Run r = perf("--stack", "direct-memory", "--bytes", "20MB", "--interval", "0.2");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("perf: two direct stacks on the in-memory network"), r.out());
        assertEquals("19.1 MiB", totalTransferred(r.out()), "20,000,000 bytes moved: " + r.out());
        assertTrue(r.out().contains("retransmissions   0  (tcp.tx.retransmits of both stacks)"), r.out());
        assertTrue(Pattern.compile("CPU time\\s+[\\d.]+ s per GiB").matcher(r.out()).find(), r.out());
    }

    @Test
    void directMemoryOverADelayedBottleneckStatesThePathAndRunsNoFasterThanItsRate() {
        Run r = perf("--stack", "direct-memory", "--bytes", "3000000", "--delay", "10", "--rate", "200");
        assertEquals(0, r.code(), r.out());
        // 200 Mbit/s over a 20 ms round trip: 500,000 bytes, 330.3 full-size frames.
        assertTrue(r.out().contains("\n  impairments: delay 10 ms each way (20 ms RTT), rate 200 Mbit/s each way with "
                + "a 331-packet queue, seed 1\n"), r.out());
        assertEquals("2.9 MiB", totalTransferred(r.out()), r.out());
        Matcher m = Pattern.compile("([\\d.]+) Gbit/s  total").matcher(r.out());
        assertTrue(m.find() && Double.parseDouble(m.group(1)) <= 0.2, "at most the bottleneck's rate: " + r.out());
    }

    @Test
    void theSocketStackRunsTheSameTransferOverLoopback() {
        Run r = perf("--stack", "socket", "--bytes", "20000000");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("perf: two socket stacks (the host kernel's TCP) over loopback"), r.out());
        assertEquals("19.1 MiB", totalTransferred(r.out()), r.out());
        assertTrue(r.out().contains("(the host's RetransSegs (/proc/net/snmp))"), r.out());
    }

    @Test
    void compareRunsBothStacksForTheSameTimeAndPrintsThemSideBySide() {
        Run r = perf("--compare", "--time", "0.5", "--interval", "0.25");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("perf --compare: the same transfer on each stack: 0.5 s each, no impairments, "
                + "no capture\n"), r.out());
        assertTrue(Pattern.compile("(?m)^\\s+direct-memory\\s+socket$").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^  throughput\\s+[\\d.]+ Gbit/s\\s+[\\d.]+ Gbit/s$").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^  result\\s+ok\\s+ok$").matcher(r.out()).find(), r.out());
        assertTrue(r.out().contains("direct-memory runs at "), r.out());
    }

    @Test
    void unknownStacksAndTapWithoutADeviceAreUsageErrors() {
        assertEquals(2, perf("--stack", "carrier-pigeon").code());
        assertEquals(2, perf("--stack", "tap", "--peer", "198.18.0.1").code());
        assertEquals(2, perf("--stack", "tap", "--tap", "t0", "--ip", "198.18.0.2/24").code(), "neither --peer nor --server");
        assertEquals(2, perf("--peer", "198.18.0.1").code(), "--peer without --stack tap");
        assertEquals(2, perf("--time", "0").code());
    }
}
