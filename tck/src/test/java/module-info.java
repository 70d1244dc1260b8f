/**
 * The stack TCK: one suite of cases written only against {@link org.tcpip4j.stack.Stack},
 * run against the socket stack on loopback ({@code SocketStackTck}) and the direct stack
 * on the in-memory network ({@code DirectStackTck}), each over IPv4 and over IPv6.
 *
 * <ul>
 *   <li>{@code org.tcpip4j.tck}: the fixture SPI ({@code StackFixture}), the documented
 *       differences between stacks ({@code Feature}), the contracts ({@code UdpTck},
 *       {@code TcpTck}) with their helpers, the IP versions they run over ({@code IpVersion}), and the two concrete suites; exported, so
 *       another module can run the contracts on its own stacks.
 *   <li>{@code org.tcpip4j.tck.sim}: whole direct stacks in virtual time, seeded: UDP
 *       under loss, reordering and fragmentation; TCP transfers both ways at once under
 *       loss, bursts, duplication, reordering, jitter, corruption and blackouts; TCP's goodput
 *       through a bottleneck with a drop-tail queue, against bounds (congestion avoidance,
 *       Mathis under loss, fairness between two flows, reordering, auto-tuning).
 * </ul>
 */
open module org.tcpip4j.tck {
    requires org.tcpip4j.stack.direct;
    requires org.tcpip4j.stack.socket;
    requires org.tcpip4j.netif.memory;
    requires org.tcpip4j.netif.decorators;
    requires org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    requires org.slf4j;
    // The TCP layer's Flight Recorder events, recorded and read back.
    requires jdk.jfr;

    // The performance simulations measure each congestion-control algorithm that has a provider.
    uses org.tcpip4j.tcp.congestion.CongestionControlProvider;

    // The fixture SPI and the contracts, for suites in other modules (the interop suite's TAP run).
    exports org.tcpip4j.tck;
}
