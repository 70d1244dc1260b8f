package org.tcpip4j.tck;

/**
 * The TCK on the socket stack: the host kernel over loopback, the reference the direct
 * stack is held to. Cases that need a {@link Feature} the kernel lacks are skipped with the
 * reason, and their companion cases check what the kernel does instead.
 */
class SocketStackTck extends StackTck implements UdpTck, TcpTck {

    @Override
    protected StackFixture createFixture() {
        return new SocketStackFixture();
    }
}
