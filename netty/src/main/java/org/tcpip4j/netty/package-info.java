/**
 * A Netty transport over the direct stack: {@link org.tcpip4j.netty.StackEventLoopGroup}
 * (Netty's loops are the stacks' loops), {@link org.tcpip4j.netty.StackServerSocketChannel},
 * {@link org.tcpip4j.netty.StackSocketChannel} over {@link org.tcpip4j.tcp.TcpFlow}, and
 * {@link org.tcpip4j.netty.StackDatagramChannel} over {@link org.tcpip4j.udp.Udp}. Netty code
 * moves onto the stack by naming these group and channel classes; handlers run on the
 * thread that runs TCP.
 */
package org.tcpip4j.netty;
