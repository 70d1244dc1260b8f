package org.tcpip4j.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.impair.ImpairmentStats;
import org.tcpip4j.netif.pcap.PcapNetif;

/**
 * A device wrapped, innermost first, in an {@link ImpairedNetif} (the same impairments both
 * ways, each way with its own state) when any is asked for, and a {@link PcapNetif} when a
 * capture is: the capture then shows what the stack itself sent and received. Disconnecting
 * {@link #netif()} closes the capture file.
 *
 * @param netif the outermost device, the one to build the stack on
 * @param impaired the impairment layer, or null
 * @param capture the capture layer, or null
 * @param pcapFile the capture's file ("standard output" for {@code --pcap -}), or null
 * @param impairments the banner's line stating the impairments, or null
 */
record NetifChain(Netif netif, ImpairedNetif impaired, PcapNetif capture, String pcapFile, String impairments) {

    /**
     * Wraps {@code device} as {@code options} ask: no impairment layer when none is asked, no
     * capture without a file; the capture is {@link ImpairmentOptions#openCapture}'s.
     *
     * @throws Usage.Failure when the capture's file cannot be written
     */
    static NetifChain wrap(Netif device, ImpairmentOptions options) {
        Netif outer = device;
        ImpairedNetif impaired = null;
        Impairment impairment = options.impairment(device.mtu());
        if (!impairment.isNone()) {
            impaired = ImpairedNetif.onBoth(outer, impairment, new SplittableRandom(options.seed));
            outer = impaired;
        }
        PcapNetif capture = null;
        if (options.pcap != null) {
            capture = new PcapNetif(outer, options.openCapture());
            outer = capture;
        }
        return new NetifChain(outer, impaired, capture, options.captureName(), options.describe(device.mtu()));
    }

    /** "  (captured to FILE)", or empty. */
    String describe() {
        return capture != null ? "  (captured to " + pcapFile + ")" : "";
    }

    /** Prints the impairments' line, indented, when there are any. */
    void printImpairments(PrintStream out, String indent) {
        if (impairments != null) {
            out.println(indent + impairments);
        }
    }

    /** Writes what the impairments did and the frames captured, when there are impairments or a capture. */
    void summary(PrintStream out, String who) {
        if (impaired != null) {
            ImpairmentStats rx = impaired.receiveStats();
            ImpairmentStats tx = impaired.sendStats();
            out.printf("  frames lost         %d of %d sent by %s, %d of %d sent to %s%n", tx.dropped(), tx.offered(),
                    who, rx.dropped(), rx.offered(), who);
            if (tx.droppedByQueue() + rx.droppedByQueue() > 0) {
                out.printf("    at a full queue   %d sent by %s, %d sent to %s%n", tx.droppedByQueue(), who,
                        rx.droppedByQueue(), who);
            }
            if (tx.duplicated() + rx.duplicated() > 0) {
                out.printf("  frames duplicated   %d sent by %s, %d sent to %s%n", tx.duplicated(), who, rx.duplicated(), who);
            }
            if (tx.reordered() + rx.reordered() > 0) {
                out.printf("  frames reordered    %d sent by %s, %d sent to %s%n", tx.reordered(), who, rx.reordered(), who);
            }
        }
        if (capture != null) {
            out.printf("  pcap                %d frames in %s%n", capture.capturedFrames(), pcapFile);
        }
    }

    /** The wrappers' counters as layers of their own, "impairment" and "pcap", named like the stack's. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        if (impaired != null) {
            Map<String, Long> c = new LinkedHashMap<>();
            direction(c, "rx.", impaired.receiveStats());
            direction(c, "tx.", impaired.sendStats());
            all.put("impairment", c);
        }
        if (capture != null) {
            all.put("pcap", Map.of("frames", capture.capturedFrames()));
        }
        return all;
    }

    private static void direction(Map<String, Long> c, String prefix, ImpairmentStats s) {
        c.put(prefix + "offered", s.offered());
        c.put(prefix + "dropped", s.dropped());
        c.put(prefix + "dropped_by_loss", s.droppedByLoss());
        c.put(prefix + "dropped_by_queue", s.droppedByQueue());
        c.put(prefix + "duplicated", s.duplicated());
        c.put(prefix + "reordered", s.reordered());
        c.put(prefix + "delayed", s.delayed());
    }
}
