package org.tcpip4j.tck;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpip4j.netif.NetifOffloads;

/**
 * The TCK on the direct stack on ports of the in-memory network that offload (TSO,
 * checksums left to the device, coalesced receive: {@link NetifOffloads#ALL}), in virtual time,
 * over IPv4 and over IPv6 (dual stacks reaching each other at their IPv6 addresses).
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(IpVersion.class)
class OffloadingDirectStackTck extends StackTck implements UdpTck, TcpTck {

    private final IpVersion version;

    OffloadingDirectStackTck(IpVersion version) {
        this.version = version;
    }

    @Override
    protected StackFixture createFixture() {
        return new DirectStackFixture(version, NetifOffloads.ALL);
    }
}
