package org.tcpip4j.tck;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The TCK on the socket stack: the host kernel over loopback, the reference the direct
 * stack is held to, over IPv4 and over IPv6. Cases that need a {@link Feature} the kernel
 * lacks are skipped with the reason, and their companion cases check what the kernel does
 * instead.
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(IpVersion.class)
class SocketStackTck extends StackTck implements UdpTck, TcpTck {

    private final IpVersion version;

    SocketStackTck(IpVersion version) {
        this.version = version;
    }

    @Override
    protected StackFixture createFixture() {
        return new SocketStackFixture(version);
    }
}
