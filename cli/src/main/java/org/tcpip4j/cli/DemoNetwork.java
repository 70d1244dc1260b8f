package org.tcpip4j.cli;

import java.io.PrintStream;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.memory.MemorySwitch;

/**
 * The demo's two devices on one switch. Stack a's device may be wrapped in impairments and a
 * capture ({@link NetifChain}), so the capture shows what stack a itself sent and
 * received. Disconnecting a's stack closes the capture file.
 */
record DemoNetwork(Netif a, Netif b, NetifChain chainOfA) {

    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:02");

    static DemoNetwork open(MemorySwitch network, ImpairmentOptions impairment) {
        NetifOffloads offloads = impairment.memoryOffloads();
        NetifChain chain = NetifChain.wrap(network.port(MAC_A, MemorySwitch.DEFAULT_MTU, offloads), impairment);
        return new DemoNetwork(chain.netif(), network.port(MAC_B, MemorySwitch.DEFAULT_MTU, offloads), chain);
    }

    String describeA() {
        return chainOfA.describe();
    }

    void printImpairments(PrintStream out) {
        chainOfA.printImpairments(out, "  ");
    }

    void summary(PrintStream out) {
        chainOfA.summary(out, "a");
    }
}
