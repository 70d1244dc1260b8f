package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads pcap files with Debian's tshark, the reference a capture must satisfy. */
final class Tshark {

    private Tshark() {
    }

    /**
     * Reads the whole file and fails the test unless tshark exits 0 with nothing on stderr
     * but its warning about running as root.
     *
     * @return tshark's one-line summary of every frame
     */
    static String readCleanly(Path pcap) {
        HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(30), new byte[0], "tshark", "-n", "-r", pcap.toString());
        assertEquals(0, o.exitCode(), "tshark reads " + pcap + ": " + o);
        assertEquals("", errorsOf(o.stderr()), "tshark reports no error for " + pcap);
        return o.out();
    }

    /**
     * The frames matching a display filter, one line each: source address, source port,
     * destination address, destination port, tab-separated.
     */
    static List<String> tcpEndpoints(Path pcap, String displayFilter) {
        HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(30), new byte[0], "tshark", "-n", "-r",
                pcap.toString(), "-Y", displayFilter, "-T", "fields", "-e", "ip.src", "-e", "tcp.srcport", "-e",
                "ip.dst", "-e", "tcp.dstport");
        assertEquals(0, o.exitCode(), "tshark -Y " + displayFilter + ": " + o);
        return o.out().lines().filter(l -> !l.isBlank()).toList();
    }

    /** stderr without the warning tshark prints whenever it runs as root. */
    private static String errorsOf(String stderr) {
        return Arrays.stream(stderr.split("\n"))
                .filter(l -> !l.isBlank() && !l.startsWith("Running as user \"root\""))
                .collect(Collectors.joining("\n"));
    }
}
