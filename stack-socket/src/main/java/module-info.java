/**
 * The socket stack: the {@link org.tcpip4j.stack.Stack} interface over the host kernel's
 * sockets ({@code java.nio} channels), Mirage's {@code tcpip_stack_socket}. An application
 * written against {@code Stack} moves between this stack and the direct one unchanged.
 *
 * <ul>
 *   <li>{@code org.tcpip4j.stack.socket}: {@link org.tcpip4j.stack.socket.SocketStack} and
 *       its builder; the class Javadoc lists where the kernel cannot match the direct
 *       stack's contract.
 *   <li>{@code org.tcpip4j.stack.socket.internal} (not exported): UDP over
 *       {@code DatagramChannel}, TCP over {@code SocketChannel}, the blocking I/O on
 *       virtual threads, every completion handed to the stack's event loop.
 * </ul>
 *
 * <p>It requires {@code jdk.net} for the TCP keepalive options
 * ({@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL}, {@code TCP_KEEPCOUNT}).
 */
module org.tcpip4j.stack.socket {
    requires transitive org.tcpip4j.stack;
    requires jdk.net;
    requires org.slf4j;

    exports org.tcpip4j.stack.socket;
}
