package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/** A multi-queue TAP ({@code IFF_MULTI_QUEUE}): one descriptor, reader and loop per queue, one device. */
@ExtendWith(RequiresRoot.class)
class TapMultiQueueTest {

    private final List<RealTimeEventLoop> loops = new ArrayList<>();

    @AfterEach
    void stopLoops() {
        loops.forEach(RealTimeEventLoop::close);
    }

    private List<RealTimeEventLoop> loops(int n) {
        for (int i = 0; i < n; i++) {
            loops.add(new RealTimeEventLoop("tap-mq-" + i));
        }
        return loops;
    }

    static int tunFlags(String name) throws Exception {
        String text = Files.readString(Path.of("/sys/class/net", name, "tun_flags")).trim();
        return Integer.decode(text);
    }

    static long receiveQueues(String name) throws Exception {
        try (Stream<Path> queues = Files.list(Path.of("/sys/class/net", name, "queues"))) {
            return queues.filter(p -> p.getFileName().toString().startsWith("rx-")).count();
        }
    }

    @Test
    void queuesShareOneDeviceAndOneMacAndTheDeviceGoesWithTheLast() throws Exception {
        String name = TapNetifTest.freshName();
        List<TapNetif> queues = TapNetif.openQueues(TapConfig.named(name), loops(3));
        try {
            assertEquals(3, queues.size());
            assertTrue((tunFlags(name) & 0x0100) != 0, "IFF_MULTI_QUEUE");
            assertEquals(3, receiveQueues(name));
            for (TapNetif q : queues) {
                assertEquals(name, q.interfaceName());
                assertEquals(queues.getFirst().mac(), q.mac());
                assertEquals(queues.getFirst().offloads(), q.offloads());
            }
            assertNotEquals(queues.get(0).loop(), queues.get(1).loop());
            queues.getFirst().disconnect().get(5, TimeUnit.SECONDS);
            assertTrue(TapNetifTest.interfaceExists(name), "the others still hold it");
        } finally {
            for (TapNetif q : queues) {
                q.disconnect().get(5, TimeUnit.SECONDS);
            }
        }
        assertFalse(TapNetifTest.interfaceExists(name), "deleted with its last queue");
    }

    @Test
    void aDeviceMadeWithoutQueuesCannotTakeThem() throws Exception {
        String name = TapNetifTest.freshName();
        List<RealTimeEventLoop> two = loops(2);
        TapNetif single = TapNetif.open(TapConfig.named(name), two.get(0));
        try {
            assertThrows(TapException.class, () -> TapNetif.openQueues(TapConfig.named(name), List.of(two.get(1))));
        } finally {
            single.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
