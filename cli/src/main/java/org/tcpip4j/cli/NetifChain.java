package org.tcpip4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.impair.ImpairmentStats;
import org.tcpip4j.netif.pcap.PcapNetif;

/**
 * A device wrapped, innermost first, in an {@link ImpairedNetif} (loss both ways) when a
 * loss is asked for, and a {@link PcapNetif} when a capture is: the capture then shows what
 * the stack itself sent and received. Disconnecting {@link #netif()} closes the capture file.
 *
 * @param netif the outermost device, the one to build the stack on
 * @param impaired the loss layer, or null
 * @param capture the capture layer, or null
 * @param pcapFile the capture's file, or null
 * @param loss the probability of loss each way
 */
record NetifChain(Netif netif, ImpairedNetif impaired, PcapNetif capture, Path pcapFile, double loss) {

    /** Wraps {@code device} as asked: no loss when {@code loss} is 0, no capture when {@code pcap} is null. */
    static NetifChain wrap(Netif device, double loss, long seed, Path pcap) throws IOException {
        Netif outer = device;
        ImpairedNetif impaired = null;
        if (loss > 0) {
            impaired = ImpairedNetif.onBoth(outer, Impairment.builder().loss(loss).build(), new SplittableRandom(seed));
            outer = impaired;
        }
        PcapNetif capture = null;
        if (pcap != null) {
            capture = PcapNetif.create(outer, pcap);
            outer = capture;
        }
        return new NetifChain(outer, impaired, capture, pcap, loss);
    }

    /** "  (5.0% loss each way, seeded)  (captured to FILE)", or empty. */
    String describe() {
        StringBuilder s = new StringBuilder();
        if (impaired != null) {
            s.append(String.format("  (%.1f%% loss each way, seeded)", loss * 100));
        }
        if (capture != null) {
            s.append("  (captured to ").append(pcapFile).append(')');
        }
        return s.toString();
    }

    /** Writes the frames lost and captured, when there is loss or a capture. */
    void summary(PrintStream out, String who) {
        if (impaired != null) {
            ImpairmentStats rx = impaired.receiveStats();
            ImpairmentStats tx = impaired.sendStats();
            out.printf("  frames lost         %d of %d sent by %s, %d of %d sent to %s%n", tx.dropped(), tx.offered(),
                    who, rx.dropped(), rx.offered(), who);
        }
        if (capture != null) {
            out.printf("  pcap                %d frames in %s%n", capture.capturedFrames(), pcapFile);
        }
    }

    /** The wrappers' counters as layers of their own, "impairment" and "pcap", named like the stack's. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        if (impaired != null) {
            ImpairmentStats rx = impaired.receiveStats();
            ImpairmentStats tx = impaired.sendStats();
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("rx.offered", rx.offered());
            c.put("rx.dropped", rx.dropped());
            c.put("tx.offered", tx.offered());
            c.put("tx.dropped", tx.dropped());
            all.put("impairment", c);
        }
        if (capture != null) {
            all.put("pcap", Map.of("frames", capture.capturedFrames()));
        }
        return all;
    }
}
