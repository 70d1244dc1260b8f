package org.tcpip4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host kernel's TCP counters from {@code /proc/net/snmp}: the retransmissions of the
 * socket stack are the kernel's, and the kernel only counts them for the whole host.
 */
final class HostTcpCounters {

    private static final Path SNMP = Path.of("/proc/net/snmp");

    private HostTcpCounters() {
    }

    /** The kernel's RetransSegs, segments retransmitted by every TCP socket of the host; -1 when unknown. */
    static long retransmittedSegments() {
        try {
            List<String> tcp = Files.readAllLines(SNMP).stream().filter(l -> l.startsWith("Tcp:")).toList();
            if (tcp.size() < 2) {
                return -1;
            }
            String[] names = tcp.get(0).split("\\s+");
            String[] values = tcp.get(1).split("\\s+");
            for (int i = 1; i < names.length && i < values.length; i++) {
                if (names[i].equals("RetransSegs")) {
                    return Long.parseLong(values[i]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
