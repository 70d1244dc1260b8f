package org.tcpip4j.it;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.tcpip4j.tck.StackFixture;
import org.tcpip4j.tck.StackTck;
import org.tcpip4j.tck.TcpTck;
import org.tcpip4j.tck.UdpTck;

/**
 * The stack TCK on direct stacks whose frames cross a real Linux bridge: two TAP devices
 * on the interop network's bridge, a stack on each (see {@link TapStackFixture}). Runs
 * where the interop suite runs.
 */
class TapStackTck extends StackTck implements UdpTck, TcpTck {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    @Override
    protected StackFixture createFixture() {
        return new TapStackFixture(net);
    }
}
