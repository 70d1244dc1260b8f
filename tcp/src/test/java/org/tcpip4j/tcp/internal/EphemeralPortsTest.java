package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.LOCAL;
import static org.tcpip4j.tcp.internal.TcpHarness.REMOTE;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/** Ephemeral ports by RFC 6056 algorithm 4: unique per 4-tuple, per-destination sequences. */
class EphemeralPortsTest {

    private static final Ipv4Address REMOTE2 = Ipv4Address.parse("198.18.0.3");

    /** Connects to {@code dst}:{@code port} and returns the source port of the SYN sent. */
    private static int connect(TcpHarness h, Ipv4Address dst, int port) {
        CompletableFuture<TcpFlow> f = h.tcp.connect(dst, port);
        h.settle();
        assertTrue(!f.isDone(), "connecting");
        return h.sentOne().srcPort;
    }

    @Test
    void everyDestinationHasTheWholeRangeSoMoreThan16384ConnectionsOpen() throws Exception {
        TcpHarness h = new TcpHarness();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < EphemeralPorts.COUNT; i++) {
            int p = connect(h, REMOTE, 443);
            assertTrue(p >= EphemeralPorts.FIRST && p <= EphemeralPorts.LAST, "ephemeral port " + p);
            assertTrue(ports.add(p), "port " + p + " handed out twice to one destination");
        }
        CompletableFuture<TcpFlow> full = h.tcp.connect(REMOTE, 443);
        h.settle();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, full::get);
        assertInstanceOf(TcpException.Resources.class, e.getCause());
        assertEquals("no ephemeral port free for 198.18.0.2:443 (all of 49152..65535 in use)", e.getCause().getMessage());
        h.sentNothing();
        // Every port is in use, yet other destinations (another port, another address) still get one.
        Set<Integer> others = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            assertTrue(others.add(connect(h, REMOTE, 80)));
        }
        for (int i = 0; i < 4000; i++) {
            connect(h, REMOTE2, 443);
        }
        assertEquals(EphemeralPorts.COUNT + 8000, h.tcp.connectionCount());
        // Closing one connection to the full destination frees its port for the next.
        int freed = ports.iterator().next();
        h.tcp.connection(LOCAL, freed, REMOTE, 443).abort(null);
        h.sent();
        assertEquals(freed, connect(h, REMOTE, 443));
    }

    @Test
    void portsToOneDestinationSayNothingOfAnothers() {
        TcpHarness h = new TcpHarness();
        int[] a = new int[100];
        int[] b = new int[100];
        Set<Integer> differences = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            a[i] = connect(h, REMOTE, 443);
            // Many connections elsewhere in between: a global counter (RFC 6056 algorithm 3)
            // would carry them into the next port to REMOTE:443.
            for (int j = 0; j < 50; j++) {
                b[i] = connect(h, REMOTE2, 443);
            }
            differences.add(Math.floorMod(b[i] - a[i], EphemeralPorts.COUNT));
        }
        for (int i = 1; i < 100; i++) {
            int step = Math.floorMod(a[i] - a[i - 1], EphemeralPorts.COUNT);
            assertTrue(step >= 1 && step <= 8, "a destination's counter moves only for its own ports: step " + step);
        }
        assertTrue(differences.size() > 50, "the distance between two destinations' ports is not fixed: " + differences);
        // Each destination starts at an offset of its own.
        Set<Integer> firsts = new HashSet<>();
        for (int port = 1; port <= 20; port++) {
            firsts.add(connect(h, REMOTE, 1000 + port));
        }
        assertTrue(firsts.size() >= 19, "first ports to 20 destinations: " + firsts);
    }

    @Test
    void theOffsetsComeFromTheSecretsSoAnotherStackStartsElsewhere() {
        TcpHarness h = new TcpHarness();
        TcpHarness same = new TcpHarness();
        int first = connect(h, REMOTE, 443);
        assertEquals(first, connect(same, REMOTE, 443), "deterministic for the same seed");
        Set<Integer> starts = new HashSet<>(List.of(first));
        for (long seed = 1; seed <= 10; seed++) {
            starts.add(connect(new TcpHarness(TcpHarness.SMALL, seed), REMOTE, 443));
        }
        assertTrue(starts.size() >= 10, "first ports under 11 keys: " + starts);
    }

    @Test
    void aPortWithAListenerIsNeverHandedOut() throws Exception {
        TcpHarness h = new TcpHarness();
        Set<Integer> open = Set.of(50000, 60000, 65535);
        for (int p = EphemeralPorts.FIRST; p <= EphemeralPorts.LAST; p++) {
            if (!open.contains(p)) {
                h.listen(p);
            }
        }
        h.settle();
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            got.add(connect(h, REMOTE, 443));
        }
        assertEquals(open, got);
        CompletableFuture<TcpFlow> none = h.tcp.connect(REMOTE, 443);
        h.settle();
        assertTrue(none.isCompletedExceptionally());
        h.tcp.unlisten(50001);
        h.settle();
        assertEquals(50001, connect(h, REMOTE, 443), "a port whose listener went away is free again");
    }
}
