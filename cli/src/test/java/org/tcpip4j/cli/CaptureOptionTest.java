package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tcpip4j.netif.pcap.PcapReader;
import org.tcpip4j.netif.pcap.PcapRecord;
import picocli.CommandLine;

/**
 * {@code --pcap}: a file that cannot be written ends the command in one line naming it and
 * the system's reason, {@code -} streams the capture on standard output, and the echo
 * requests in a capture carry the sequence numbers the output shows.
 */
@Timeout(120)
class CaptureOptionTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The one line a capture that cannot be written prints, after checking exit code 2 and no stack trace. */
    private static String failure(Run r) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        return r.err().strip();
    }

    @Test
    void aCaptureThatCannotBeWrittenIsOneLineWithTheFileAndTheReason(@TempDir Path dir) {
        String[][] cases = {
            {"/nonexistent/dir/x.pcap", "No such file or directory"},
            {dir.toString(), "Is a directory"},
            {"/etc/passwd/x.pcap", "Not a directory"},
        };
        for (String[] c : cases) {
            String expected = ": --pcap " + c[0] + ": cannot write the capture: " + c[1];
            assertEquals("tcpip4j demo" + expected, failure(run("demo", "--bytes", "1000", "--pcap", c[0])));
            assertEquals("tcpip4j perf" + expected, failure(run("perf", "--bytes", "1000", "--pcap", c[0])));
            // serve opens the capture before the device: no TAP, no root needed to see this.
            assertEquals("tcpip4j serve" + expected,
                    failure(run("serve", "--tap", "t0", "--ip", "198.18.0.2/24", "--pcap", c[0])));
        }
    }

    @Test
    void aCaptureInADirectoryWithoutWritePermissionSaysPermissionDenied(@TempDir Path dir) throws Exception {
        Path closed = Files.createDirectory(dir.resolve("closed"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("r-xr-xr-x"));
        String file = closed.resolve("x.pcap").toString();
        if (!isRoot()) {
            Run r = run("demo", "--bytes", "1000", "--pcap", file);
            assertEquals("tcpip4j demo: --pcap " + file + ": cannot write the capture: Permission denied", failure(r));
            return;
        }
        // Root writes anywhere: the command runs as nobody, from a copy of its modules nobody can read.
        if (!HostCommand.available("setpriv")) {
            System.err.println("[cli] SKIPPED the permission case: running as root, and setpriv (util-linux), which "
                    + "would run it as nobody, is missing");
            Assumptions.abort("root, and no setpriv to run the command as nobody");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path modules = Files.createDirectory(dir.resolve("modules"));
        List<String> path = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("jdk.module.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path copy = modules.resolve(i++ + "-" + source.getFileName());
            copyTree(source, copy);
            path.add(copy.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(60), new byte[0], "setpriv", "--reuid=nobody",
                "--regid=nogroup", "--clear-groups", java, "-p", String.join(File.pathSeparator, path), "-m",
                "org.tcpip4j.cli/org.tcpip4j.cli.Main", "demo", "--bytes", "1000", "--pcap", file);
        assertEquals(2, o.exitCode(), o.toString());
        assertEquals("tcpip4j demo: --pcap " + file + ": cannot write the capture: Permission denied",
                o.stderr().strip(), o.toString());
        assertEquals("", o.out(), o.toString());
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.substring(4).trim().split("\\s+")[1].equals("0"));
    }

    /** Copies a file or a directory tree, readable by everyone. */
    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** Runs {@code args} with standard output and standard error each captured whole. */
    private static Run runWithStreams(ByteArrayOutputStream stdout, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            System.out.flush();
            return new Run(code, "", stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void aCaptureToStandardOutputIsAPcapStreamAndTheReportGoesToStandardError(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Run r = runWithStreams(stdout, "demo", "--bytes", "100K", "--pcap", "-");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("(captured to standard output)"), r.err());
        assertTrue(r.err().contains("demo: all steps passed"), "the report is on standard error: " + r.err());
        byte[] pcap = stdout.toByteArray();
        ByteBuffer header = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, header.getInt(0), "pcap's magic number, microseconds, first on standard output");
        assertEquals(2, header.getShort(4));
        assertEquals(4, header.getShort(6));
        assertEquals(1, header.getInt(20), "link type Ethernet");
        Path copy = dir.resolve("stdout.pcap");
        Files.write(copy, pcap);
        List<PcapRecord> records = PcapReader.readAll(copy);
        assertTrue(records.size() > 50, "frames: " + records.size());
        long tcpSyns = records.stream().filter(rec -> isTcpSyn(rec.data())).count();
        assertEquals(1, tcpSyns, "the IPv4 transfer's SYN, and nothing but frames after the header");
        Matcher m = Pattern.compile("pcap\\s+(\\d+) frames in standard output").matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(records.size(), Integer.parseInt(m.group(1)), "every frame counted is in the stream");
    }

    private static boolean isTcpSyn(byte[] f) {
        return f.length >= 54 && (f[12] & 0xff) == 0x08 && f[13] == 0 && f[23] == 6 && (f[47] & 0x12) == 0x02;
    }

    /** The sequence numbers of the echo requests in a capture, IPv4's then IPv6's. */
    private static List<List<Integer>> echoRequestSequences(Path pcap) throws IOException {
        List<Integer> v4 = new ArrayList<>();
        List<Integer> v6 = new ArrayList<>();
        for (PcapRecord rec : PcapReader.readAll(pcap)) {
            ByteBuffer f = ByteBuffer.wrap(rec.data());
            int type = f.getShort(12) & 0xffff;
            if (type == 0x0800 && f.get(23) == 1) {
                int icmp = 14 + (f.get(14) & 0x0f) * 4;
                if ((f.get(icmp) & 0xff) == 8) {
                    v4.add(f.getShort(icmp + 6) & 0xffff);
                }
            } else if (type == 0x86dd && f.get(20) == 58 && (f.get(54) & 0xff) == 128) {
                v6.add(f.getShort(54 + 6) & 0xffff);
            }
        }
        return List.of(v4, v6);
    }

    @Test
    void theEchoRequestsOnTheWireCarryTheSequenceTheOutputShowsFromOneAsLinuxPing(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("demo.pcap");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("demo", "--bytes", "10K", "--pcap", pcap.toString());
        } finally {
            System.setOut(saved);
        }
        String out = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        List<List<Integer>> sequences = echoRequestSequences(pcap);
        assertEquals(List.of(1, 2, 3), sequences.get(0), "IPv4: the first echo request is 1, as iputils' ping");
        assertEquals(List.of(1, 2, 3, 4), sequences.get(1), "IPv6: neighbor discovery's echo, then the pings");
        assertEquals(List.of(1, 2, 3), shown(out, "198.18.0.2"), out);
        assertEquals(List.of(2, 3, 4), shown(out, "2001:2::2"), out);
        assertTrue(out.contains("for echo icmp_seq=1)"), out);
    }

    private static List<Integer> shown(String out, String host) {
        Matcher m = Pattern.compile("\\[ping] 64 bytes from " + Pattern.quote(host) + ": icmp_seq=(\\d+) ").matcher(out);
        List<Integer> seqs = new ArrayList<>();
        while (m.find()) {
            seqs.add(Integer.parseInt(m.group(1)));
        }
        return seqs;
    }
}
