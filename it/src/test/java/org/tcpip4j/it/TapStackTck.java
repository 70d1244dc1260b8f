package org.tcpip4j.it;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpip4j.tck.IpVersion;
import org.tcpip4j.tck.StackFixture;
import org.tcpip4j.tck.StackTck;
import org.tcpip4j.tck.TcpTck;
import org.tcpip4j.tck.UdpTck;

/**
 * The stack TCK on direct stacks whose frames cross a real Linux bridge: two TAP devices
 * on the interop network's bridge, a stack on each (see {@link TapStackFixture}), over IPv4
 * and over IPv6. Runs where the interop suite runs.
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(IpVersion.class)
class TapStackTck extends StackTck implements UdpTck, TcpTck {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private final IpVersion version;

    TapStackTck(IpVersion version) {
        this.version = version;
    }

    @Override
    protected StackFixture createFixture() {
        return new TapStackFixture(net, version);
    }
}
