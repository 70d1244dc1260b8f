/**
 * TCP: reliable byte streams over any {@link org.tcpip4j.ip.Ip} (RFC 9293 and its
 * extensions).
 *
 * <p>Exports {@link org.tcpip4j.tcp.Tcp}, {@link org.tcpip4j.tcp.TcpFlow} (Mirage_flow) and
 * the {@link org.tcpip4j.tcp.TcpProvider} SPI; provides the default implementation.
 * Congestion control is a policy of its own behind
 * {@link org.tcpip4j.tcp.congestion.CongestionControlProvider}: this module provides
 * CUBIC (the default) and NewReno, and uses whatever other providers are on the module
 * path.
 */
module org.tcpip4j.tcp {
    requires transitive org.tcpip4j.ip;
    requires org.slf4j;
    // Flight Recorder events (org.tcpip4j.tcp.*): state changes, retransmissions, recovery.
    requires jdk.jfr;

    exports org.tcpip4j.tcp;
    exports org.tcpip4j.tcp.congestion;

    uses org.tcpip4j.tcp.congestion.CongestionControlProvider;

    provides org.tcpip4j.tcp.TcpProvider with org.tcpip4j.tcp.internal.DefaultTcpProvider;
    provides org.tcpip4j.tcp.congestion.CongestionControlProvider
        with org.tcpip4j.tcp.congestion.NewRenoProvider,
             org.tcpip4j.tcp.congestion.CubicProvider;
}
