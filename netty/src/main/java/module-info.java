/**
 * A Netty 4.2 transport over the direct stack: Netty's channels, pipelines and codecs run
 * on the stacks' own event loops, over {@link org.tcpip4j.tcp.TcpFlow}s and the
 * {@link org.tcpip4j.udp.Udp} layer, with no thread hand-off between a handler and TCP.
 *
 * @see org.tcpip4j.netty.StackEventLoopGroup
 */
module org.tcpip4j.netty {
    requires transitive org.tcpip4j.stack.direct;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires org.slf4j;

    exports org.tcpip4j.netty;
}
