package org.tcpip4j.netif.tap;

import org.tcpip4j.netif.loop.RealTimeEventLoop;

/**
 * {@link TapNetifOffloadsOverSocketTest} (the virtio_net_hdr both ways) on a loop with a {@link TapPoller}: no reader thread,
 * the loop reads the device itself.
 */
class TapNetifOffloadsOverSocketOnPollingLoopTest extends TapNetifOffloadsOverSocketTest {

    @Override
    RealTimeEventLoop newLoop() {
        return new RealTimeEventLoop("tap-offload-test-polling", new TapPoller());
    }
}
