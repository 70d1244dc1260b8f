/**
 * The {@code tcpip4j} command: {@code demo} (two stacks on an in-memory network),
 * {@code serve} (the stack on a TAP device with echo, discard, chargen, UDP echo and HTTP),
 * {@code ping} and {@code perf} (an iperf-like transfer over the direct or the socket
 * stack).
 *
 * <ul>
 *   <li>{@code org.tcpip4j.cli}: the commands, their options, and the one report of
 *       counters they share.
 *   <li>{@code org.tcpip4j.cli.flow}: sending and draining flows on the event loop.
 *   <li>{@code org.tcpip4j.cli.service}: the services {@code serve} runs.
 * </ul>
 *
 * <p>Run with {@code --enable-native-access=org.tcpip4j.netif.tap} (the launcher does).
 */
module org.tcpip4j.cli {
    requires org.tcpip4j.stack.direct;
    requires org.tcpip4j.stack.socket;
    requires org.tcpip4j.netif.memory;
    requires org.tcpip4j.netif.decorators;
    requires org.tcpip4j.netif.tap;
    requires org.tcpip4j.netty;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires info.picocli;
    requires org.slf4j;
    // Process CPU time for perf: com.sun.management.OperatingSystemMXBean.
    requires jdk.management;

    opens org.tcpip4j.cli to info.picocli;
}
