package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.cli.service.Connections;

/** The pieces of the command's output that need no network: counter naming, ping's numbers, patterns. */
class UnitsTest {

    private static Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        Map<String, Long> tcp = new LinkedHashMap<>();
        tcp.put("rx.segments", 12L);
        tcp.put("tx.retransmits", 0L);
        tcp.put("conn.established", 1L);
        all.put("tcp", tcp);
        all.put("udp", Map.of("rx.datagrams", 0L));
        return all;
    }

    @Test
    void everyReportNamesACounterLayerDotName() {
        assertEquals(List.of("  tcp.rx.segments=12 tcp.conn.established=1"), CounterReport.lines(counters(), "  "),
                "summaries leave zeros and empty layers out");
        assertEquals("tcp.rx.segments=12\ntcp.tx.retransmits=0\ntcp.conn.established=1\nudp.rx.datagrams=0\n",
                CounterReport.text(counters()), "/stats lists every counter");
        String html = CounterReport.html("t", Map.of("device", "<tap0>"),
                List.of(new Connections.Line("echo", "198.18.0.2:7", "198.18.0.1:40000", "established <x>")), counters());
        assertTrue(html.contains("<td>tcp.tx.retransmits</td><td class=\"v\">0</td>"), html);
        assertTrue(html.contains("&lt;tap0&gt;"), "facts are escaped: " + html);
        assertTrue(html.contains("<tr><td>echo</td><td>198.18.0.2:7</td><td>198.18.0.1:40000</td>"
                + "<td class=\"i\">established &lt;x&gt;</td></tr>"), html);
        assertTrue(CounterReport.html("t", Map.of(), List.of(), counters()).contains("none open"));
    }

    @Test
    void longLayersWrapAtAHundredColumns() {
        Map<String, Long> many = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("counter.number_" + i, 1000L + i);
        }
        List<String> lines = CounterReport.lines(Map.of("ipv4", many), "  ");
        assertTrue(lines.size() > 1, lines.toString());
        lines.forEach(l -> assertTrue(l.length() <= 100, l));
        assertTrue(lines.get(1).startsWith("    ipv4."), "continuations are indented: " + lines);
        assertEquals(20, String.join(" ", lines).split("ipv4\\.").length - 1);
    }

    @Test
    void pingTimesAndSummaryAreRoundedAsIputilsDoes() {
        assertEquals("0.045", PingStatistics.time(0.0451));
        assertEquals("4.62", PingStatistics.time(4.624));
        assertEquals("12.3", PingStatistics.time(12.34));
        assertEquals("123", PingStatistics.time(123.4));
        assertEquals("33.3333", PingStatistics.percent(100.0 / 3));
        assertEquals("100", PingStatistics.percent(100));
        PingStatistics s = new PingStatistics();
        s.sent();
        s.sent();
        s.sent();
        s.replied(1.0);
        s.replied(3.0);
        assertEquals("3 packets transmitted, 2 received, 33.3333% packet loss, time 2002ms"
                + System.lineSeparator() + "rtt min/avg/max/mdev = 1.000/2.000/3.000/1.000 ms", s.summary(2002));
    }

    @Test
    void patternsRepeatTheirPeriodAndFindTheFirstWrongByte() {
        RepeatingPattern p = RepeatingPattern.modulo251();
        assertEquals(251, p.period());
        assertEquals((byte) 250, p.at(250));
        assertEquals((byte) 0, p.at(251 * 1000));
        ByteBuffer slice = p.slice(1_000_000, RepeatingPattern.MAX_SLICE);
        assertEquals(-1, p.firstMismatch(slice, 1_000_000));
        assertEquals(1_000_001, p.firstMismatch(slice, 1_000_001), "shifted by one, the first byte already differs");
        // A buffer longer than one slice, wrong in one byte past the first slice.
        int length = 3 * RepeatingPattern.MAX_SLICE + 17;
        ByteBuffer big = ByteBuffer.allocate(length + 5).position(5);
        for (int i = 0; i < length; i++) {
            big.put(5 + i, p.at(777 + i));
        }
        assertEquals(-1, p.firstMismatch(big, 777));
        big.put(5 + RepeatingPattern.MAX_SLICE + 3, (byte) (p.at(777 + RepeatingPattern.MAX_SLICE + 3) + 1));
        assertEquals(777 + RepeatingPattern.MAX_SLICE + 3, p.firstMismatch(big, 777));
        RepeatingPattern chargen = RepeatingPattern.chargen();
        assertEquals(95 * 74, chargen.period());
        assertEquals((byte) '!', chargen.at(74), "the second line starts one character further");
    }
}
