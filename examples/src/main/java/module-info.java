/**
 * Small programs using tcpip4j, and a custom layer swapped in through ServiceLoader.
 *
 * <ul>
 *   <li>{@link org.tcpip4j.examples.DirectEchoServer}: a TCP echo server on our own stack
 *       on a TAP device, in twenty lines.
 *   <li>{@link org.tcpip4j.examples.SocketEchoServer}: the same program on the host
 *       kernel's stack, one line changed.
 *   <li>{@link org.tcpip4j.examples.CountingEthernetProvider}: an Ethernet layer, named
 *       "counting", that wraps the default one and counts frames by ethertype; select it
 *       with {@code DirectStackBuilder.ethernetProvider("counting")} or
 *       {@code -Dtcpip4j.provider.ethernet=counting}.
 *       {@link org.tcpip4j.examples.CountingEthernetExample} runs it.
 *   <li>{@link org.tcpip4j.examples.ScalableTcpProvider}: a congestion control of its own,
 *       Scalable TCP, named "scalable", chosen per stack or per connection by name.
 * </ul>
 */
module org.tcpip4j.examples {
    requires org.tcpip4j.stack.direct;
    requires org.tcpip4j.netif.memory;
    requires org.tcpip4j.netif.tap;
    requires org.tcpip4j.stack.socket;
    requires org.slf4j;

    exports org.tcpip4j.examples;

    uses org.tcpip4j.ethernet.EthernetProvider;

    provides org.tcpip4j.ethernet.EthernetProvider with org.tcpip4j.examples.CountingEthernetProvider;
    provides org.tcpip4j.tcp.congestion.CongestionControlProvider with org.tcpip4j.examples.ScalableTcpProvider;
}
