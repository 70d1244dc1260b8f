package org.tcpip4j.netif.tap;

import org.tcpip4j.netif.loop.RealTimeEventLoop;

/**
 * {@link TapNetifOverSocketTest} (writes, reads, drops and disconnect) on a loop with a {@link TapPoller}: no reader thread,
 * the loop reads the device itself.
 */
class TapNetifOverSocketOnPollingLoopTest extends TapNetifOverSocketTest {

    @Override
    RealTimeEventLoop newLoop() {
        return new RealTimeEventLoop("tap-socket-test-polling", new TapPoller());
    }
}
