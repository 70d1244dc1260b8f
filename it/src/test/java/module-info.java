/**
 * The interop suite: tcpip4j on a TAP device exchanging real frames with a Linux kernel in
 * a container, over an internal Docker network's bridge (Testcontainers).
 *
 * <p>{@code org.tcpip4j.it.InteropNetwork} is the fixture (network, peer container, TAP,
 * netif); {@code org.tcpip4j.it.InteropPreconditions} decides whether the machine can run
 * the suite, and skips it, or fails it under {@code CI=true}, when it cannot.
 * {@code org.tcpip4j.it.TcpPathMtuInteropTest} needs no container: its Linux router and
 * server are two network namespaces.
 */
open module org.tcpip4j.it {
    requires org.tcpip4j.netif;
    requires org.tcpip4j.netif.tap;
    requires org.tcpip4j.stack.direct;
    requires org.tcpip4j.netif.decorators;
    requires org.tcpip4j.tck;
    requires org.slf4j;
    requires testcontainers;
    requires com.github.dockerjava.api;
    requires org.junit.jupiter.api;
    requires org.junit.jupiter.params;
}
