package org.tcpip4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.impair.ImpairmentStats;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.netif.pcap.PcapNetif;

/**
 * The demo's two devices on one switch. Stack a's device may be wrapped, innermost first,
 * in an {@link ImpairedNetif} (loss in both directions) and a {@link PcapNetif}, so the
 * capture shows what stack a itself sent and received. Disconnecting a's stack closes the
 * capture file.
 */
record DemoNetwork(Netif a, Netif b, ImpairedNetif impaired, PcapNetif capture, Path pcapFile, double loss) {

    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:02");

    static DemoNetwork open(MemorySwitch network, double loss, long seed, Path pcap) throws IOException {
        Netif a = network.port(MAC_A);
        Netif b = network.port(MAC_B);
        ImpairedNetif impaired = null;
        if (loss > 0) {
            impaired = ImpairedNetif.onBoth(a, Impairment.builder().loss(loss).build(), new SplittableRandom(seed));
            a = impaired;
        }
        PcapNetif capture = null;
        if (pcap != null) {
            capture = PcapNetif.create(a, pcap);
            a = capture;
        }
        return new DemoNetwork(a, b, impaired, capture, pcap, loss);
    }

    String describeA() {
        StringBuilder s = new StringBuilder();
        if (impaired != null) {
            s.append(String.format("  (%.1f%% loss each way, seeded)", loss * 100));
        }
        if (capture != null) {
            s.append("  (captured to ").append(pcapFile).append(')');
        }
        return s.toString();
    }

    void summary(PrintStream out) {
        if (impaired != null) {
            ImpairmentStats rx = impaired.receiveStats();
            ImpairmentStats tx = impaired.sendStats();
            out.printf("  frames lost         %d of %d sent by a, %d of %d sent to a%n", tx.dropped(), tx.offered(),
                    rx.dropped(), rx.offered());
        }
        if (capture != null) {
            out.printf("  pcap                %d frames in %s%n", capture.capturedFrames(), pcapFile);
        }
    }
}
