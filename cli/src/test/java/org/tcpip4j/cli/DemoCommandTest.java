package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tcpip4j.netif.pcap.PcapReader;

@Timeout(120)
class DemoCommandTest {

    private record Run(int code, String out) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void demoRunsEveryStepAndPrintsItsSummary() {
        Run r = run("demo", "--bytes", "2000000");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("[arp]  198.18.0.2 is at 02:00:00:00:00:02"), r.out());
        assertTrue(r.out().contains("[ping] 64 bytes from 198.18.0.2: icmp_seq=1"), r.out());
        assertTrue(r.out().contains("[udp]  198.18.0.2:7 echoed \"datagram 1\""), r.out());
        assertTrue(r.out().contains("received and verified byte for byte"), r.out());
        assertTrue(r.out().contains("tcp throughput"), r.out());
        assertTrue(r.out().contains("counters of stack a"), r.out());
        assertTrue(r.out().contains("[dad]  a: 2001:2::1/64 static preferred"), r.out());
        assertTrue(r.out().contains("[nd]   2001:2::2 is at 02:00:00:00:00:02"), r.out());
        assertTrue(r.out().contains("[ping] 64 bytes from 2001:2::2: icmp_seq=2"), r.out());
        assertTrue(r.out().contains("[udp]  [2001:2::2]:7 echoed \"datagram 1\""), r.out());
        assertTrue(r.out().contains("[tcp]  connecting 2001:2::1 -> [2001:2::2]:5001"), r.out());
        assertTrue(r.out().contains("demo: all steps passed"), r.out());
    }

    @Test
    void demoWithLossStillDeliversEveryByteAndCapturesTheHandshake(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("demo.pcap");
        Run r = run("demo", "--bytes", "300000", "--loss", "5", "--seed", "7", "--pcap", pcap.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("received and verified byte for byte"), r.out());
        assertTrue(r.out().contains("frames lost"), r.out());
        var records = PcapReader.readAll(pcap);
        assertTrue(records.size() > 100, "frames captured: " + records.size());
        // A TCP SYN from a to b's sink port appears in the capture.
        boolean syn = records.stream().anyMatch(rec -> {
            byte[] f = rec.data();
            return f.length >= 14 + 20 + 20 && (f[12] & 0xff) == 0x08 && f[13] == 0 && f[14 + 9] == 6
                    && (((f[14 + 20 + 2] & 0xff) << 8) | (f[14 + 20 + 3] & 0xff)) == DemoCommand.SINK_PORT
                    && (f[14 + 20 + 13] & 0x02) != 0;
        });
        assertTrue(syn, "the capture shows the SYN to port " + DemoCommand.SINK_PORT);
        assertTrue(Files.size(pcap) > 24);
    }

    @Test
    void demoOverADelayedJitteryBottleneckWithReorderingAndDuplicatesStillVerifiesEveryByte() {
        Run r = run("demo", "--bytes", "2000000", "--delay", "5", "--jitter", "1", "--rate", "50", "--reorder", "2",
                "--duplicate", "1", "--seed", "3");
        assertEquals(0, r.code(), r.out());
        // 50 Mbit/s over a 10 ms round trip: 62,500 bytes, 41.3 full-size frames.
        assertTrue(r.out().contains("  impairments: delay 5 ms " + ImpairmentOptions.PLUS_MINUS + "1 ms each way "
                + "(10 ms RTT), rate 50 Mbit/s each way with a 42-packet queue, reorder 2% each way (3 frames overtake, "
                + "10 ms hold at most), duplicate 1% each way, seed 3\n"), r.out());
        assertTrue(r.out().contains("received and verified byte for byte"), r.out());
        assertTrue(r.out().contains("frames duplicated"), r.out());
        assertTrue(r.out().contains("frames reordered"), r.out());
    }

    @Test
    void theCaptureOpensInTsharkAndShowsTheHandshake(@TempDir Path dir) {
        HostPrerequisites.requireTool("tshark");
        Path pcap = dir.resolve("demo.pcap");
        Run r = run("demo", "--bytes", "100000", "--pcap", pcap.toString());
        assertEquals(0, r.code(), r.out());
        String frames = Tshark.readCleanly(pcap);
        // tshark names the UDP datagrams to port 7 after their protocol, ECHO (RFC 862).
        assertTrue(frames.contains("ARP") && frames.contains("ICMP") && frames.contains("ECHO"), frames);
        String a = DemoCommand.A.toString();
        String b = DemoCommand.B.toString();
        // Two handshakes: the transfer over IPv4, then the one over IPv6.
        List<String> syn = Tshark.tcpEndpoints(pcap, "ip && tcp.flags.syn == 1 && tcp.flags.ack == 0");
        List<String> synAck = Tshark.tcpEndpoints(pcap, "ip && tcp.flags.syn == 1 && tcp.flags.ack == 1");
        List<String> syn6 = Tshark.tcpEndpoints(pcap, "ipv6.src == " + DemoCommand.A6 + " && tcp.flags.syn == 1 "
                + "&& tcp.flags.ack == 0 && tcp.dstport == " + DemoCommand.SINK_PORT);
        assertEquals(1, syn6.size(), frames);
        assertTrue(frames.contains("Neighbor Solicitation") && frames.contains("Neighbor Advertisement")
                && frames.contains("Multicast Listener Report"), frames);
        List<String> ack = Tshark.tcpEndpoints(pcap,
                "tcp.flags.syn == 0 && tcp.flags.ack == 1 && tcp.seq == 1 && tcp.ack == 1 && ip.src == " + a);
        assertEquals(1, syn.size(), frames);
        assertTrue(syn.getFirst().startsWith(a + "\t") && syn.getFirst().endsWith("\t" + b + "\t" + DemoCommand.SINK_PORT), syn.toString());
        assertEquals(1, synAck.size(), frames);
        assertTrue(synAck.getFirst().startsWith(b + "\t" + DemoCommand.SINK_PORT + "\t" + a), synAck.toString());
        assertTrue(!ack.isEmpty(), "the third segment of the handshake: " + frames);
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertEquals(2, run("demo", "--bytes", "lots").code());
        assertEquals(2, run("no-such-command").code());
        assertEquals(2, run("demo", "--loss", "100").code());
        assertEquals(2, run("serve", "--echo", "7").code(), "serve needs --tap and --ip");
        assertEquals(2, run("serve", "--tap", "t0", "--ip", "198.18.0.2").code(), "an address without a prefix");
        assertEquals(2, run("ping", "--tap", "t0", "--ip", "198.18.0.2/24").code(), "ping needs DEST");
    }
}
