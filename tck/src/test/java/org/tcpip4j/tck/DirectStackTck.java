package org.tcpip4j.tck;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The TCK on the direct stack: our own layers on the in-memory network, in virtual time,
 * over IPv4 and over IPv6 (dual stacks reaching each other at their IPv6 addresses).
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(IpVersion.class)
class DirectStackTck extends StackTck implements UdpTck, TcpTck {

    private final IpVersion version;

    DirectStackTck(IpVersion version) {
        this.version = version;
    }

    @Override
    protected StackFixture createFixture() {
        return new DirectStackFixture(version);
    }
}
