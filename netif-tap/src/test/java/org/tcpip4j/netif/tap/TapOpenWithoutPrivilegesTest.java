package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/** The failures of {@link TapNetif#open} found before any privilege is needed: they run anywhere on Linux. */
class TapOpenWithoutPrivilegesTest {

    private static RealTimeEventLoop loop;

    @BeforeAll
    static void startLoop() {
        loop = new RealTimeEventLoop("tap-open-test");
    }

    @AfterAll
    static void stopLoop() {
        loop.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen-bytes-xx", "a/b", "a:b", "a b", "tab\tname", ".", "..", "tap%s", "t%d%d",
            "caf\u00e9"})
    void aNameTheKernelWouldRefuseIsInvalidName(String name) {
        TapException.InvalidName e = assertThrows(TapException.InvalidName.class,
                () -> TapNetif.open(TapConfig.named(name), loop));
        assertEquals(name, e.interfaceName());
        assertEquals(0, e.errno(), "found before any system call");
    }

    @Test
    void aPatternCannotOpenAnExistingDevice() {
        TapConfig config = TapConfig.builder().interfaceName("tap%d").createIfMissing(false).build();
        assertThrows(TapException.InvalidName.class, () -> TapNetif.open(config, loop));
    }

    @Test
    void aMissingCloneDeviceIsNoTunDevice() {
        TapConfig config = TapConfig.builder().interfaceName("t4j-notun")
                .tunDevice(Path.of("/nonexistent/dev/net/tun")).build();
        TapException.NoTunDevice e = assertThrows(TapException.NoTunDevice.class, () -> TapNetif.open(config, loop));
        assertTrue(e.getMessage().contains("/nonexistent/dev/net/tun"), e.getMessage());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void aMissingDeviceThatMayNotBeCreatedIsNoSuchDevice() {
        TapConfig config = TapConfig.builder().interfaceName("t4j-absent0").createIfMissing(false).build();
        TapException.NoSuchDevice e = assertThrows(TapException.NoSuchDevice.class, () -> TapNetif.open(config, loop));
        assertTrue(e.getMessage().contains("t4j-absent0"), e.getMessage());
    }

    @Test
    void anOutOfRangeMtuIsRefusedByTheConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().mtu(67).build());
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().mtu(65536).build());
    }
}
