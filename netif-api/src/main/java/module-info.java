/**
 * NETIF: the network device interface every tcpip4j stack stands on (Mirage_net.S), with
 * the value types and the runtime shared by all layers.
 *
 * <ul>
 *   <li>{@code org.tcpip4j.netif}: {@link org.tcpip4j.netif.Netif} (a device that writes and
 *       delivers whole Ethernet frames), address types, the Internet checksum, typed results.
 *   <li>{@code org.tcpip4j.netif.loop}: the event loop, timers and the stack context
 *       (clock and randomness), in real time or in deterministic virtual time.
 * </ul>
 */
module org.tcpip4j.netif {
    requires org.slf4j;

    exports org.tcpip4j.netif;
    exports org.tcpip4j.netif.loop;
}
