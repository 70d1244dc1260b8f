/**
 * Decorators that wrap any {@link org.tcpip4j.netif.Netif} (a TAP device, a port of the
 * in-memory switch, another decorator) and are a {@code Netif} themselves, so a stack
 * stands on them unchanged.
 *
 * <ul>
 *   <li>{@code org.tcpip4j.netif.impair}: {@link org.tcpip4j.netif.impair.ImpairedNetif}
 *       degrades the link in either direction as an {@link org.tcpip4j.netif.impair.Impairment}
 *       describes (uniform and bursty loss, duplication, reordering, delay with jitter, bit
 *       corruption, trailing bytes, an MTU, blackout windows, a bandwidth limit with a
 *       bounded queue), from a seeded random source, counting every action in
 *       {@link org.tcpip4j.netif.impair.ImpairmentStats}.
 *   <li>{@code org.tcpip4j.netif.pcap}: {@link org.tcpip4j.netif.pcap.PcapNetif} captures
 *       every frame received and sent to a classic pcap file that Wireshark and tcpdump
 *       read, timestamped by the loop's clock (virtual in a simulation);
 *       {@link org.tcpip4j.netif.pcap.PcapWriter} and
 *       {@link org.tcpip4j.netif.pcap.PcapReader} write and read such files on their own.
 * </ul>
 *
 * <p>Order matters when stacking them: a capture inside the impairment
 * ({@code new ImpairedNetif(new PcapNetif(device, ...), ...)}) records what the wire
 * carried; one outside records what the stack saw. Like every netif, they run on the
 * device's event loop, one thread, without locks.
 */
module org.tcpip4j.netif.decorators {
    requires transitive org.tcpip4j.netif;
    requires org.slf4j;

    exports org.tcpip4j.netif.impair;
    exports org.tcpip4j.netif.pcap;
}
