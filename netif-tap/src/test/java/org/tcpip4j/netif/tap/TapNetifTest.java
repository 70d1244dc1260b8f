package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/** Opening, configuring and closing TAP devices in the JVM's own namespace, and the typed errors that need root to provoke. */
@ExtendWith(RequiresRoot.class)
class TapNetifTest {

    private static RealTimeEventLoop loop;
    private final java.util.List<String> persistentDevices = new java.util.ArrayList<>();

    @BeforeAll
    static void startLoop() {
        loop = new RealTimeEventLoop("tap-test");
    }

    @AfterAll
    static void stopLoop() {
        loop.close();
    }

    @AfterEach
    void deletePersistentDevices() {
        for (String name : persistentDevices) {
            Commands.run("ip", "link", "del", name);
        }
    }

    /** A fresh interface name: "t4j" and six hex digits. */
    static String freshName() {
        return "t4j" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    }

    /** True when the flags of an {@code ip -o link show} line ("<BROADCAST,MULTICAST,UP,LOWER_UP>") hold UP. */
    static boolean isAdministrativelyUp(String ipLinkLine) {
        return java.util.regex.Pattern.compile("<([A-Z_-]+,)*UP(,[A-Z_-]+)*>").matcher(ipLinkLine).find();
    }

    static boolean interfaceExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    private String persistentDevice(String name, String... extra) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("ip", "tuntap", "add", "dev", name,
                "mode", "tap"));
        command.addAll(java.util.List.of(extra));
        Commands.check(command.toArray(String[]::new));
        persistentDevices.add(name);
        return name;
    }

    @Test
    void aCreatedDeviceIsUpHasTheDefaultMtuAndIsDeletedOnDisconnect() throws Exception {
        String name = freshName();
        TapNetif tap = TapNetif.open(TapConfig.named(name), loop);
        try {
            assertEquals(name, tap.interfaceName());
            assertTrue(tap.created());
            assertEquals(1500, tap.mtu());
            assertTrue(interfaceExists(name));
            String link = Commands.check("ip", "-o", "link", "show", "dev", name);
            assertTrue(isAdministrativelyUp(link), "set up: " + link);
        } finally {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
        assertFalse(interfaceExists(name), "a created, non-persistent device is gone after disconnect");
    }

    @Test
    void aNamePatternLetsTheKernelPickTheNumber() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named("t4jp%d"), loop);
        try {
            assertTrue(tap.interfaceName().matches("t4jp\\d+"), tap.interfaceName());
            assertTrue(interfaceExists(tap.interfaceName()));
        } finally {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConfiguredMtuIsSetOnTheDevice() throws Exception {
        String name = freshName();
        TapNetif tap = TapNetif.open(TapConfig.builder().interfaceName(name).mtu(9000).build(), loop);
        try {
            assertEquals(9000, tap.mtu());
            assertEquals("9000", Files.readString(Path.of("/sys/class/net", name, "mtu")).trim());
        } finally {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGivenMacIsTheStacksAndARandomOneIsLocallyAdministeredUnicast() throws Exception {
        MacAddress given = MacAddress.parse("02:00:5e:10:00:01");
        TapNetif withMac = TapNetif.open(TapConfig.builder().interfaceName(freshName()).mac(given).build(), loop);
        TapNetif withoutMac = TapNetif.open(TapConfig.named(freshName()), loop);
        try {
            assertEquals(given, withMac.mac());
            MacAddress random = withoutMac.mac();
            assertFalse(random.isMulticast());
            assertTrue((random.bits() & (0x02L << 40)) != 0, "locally administered: " + random);
        } finally {
            withMac.disconnect().get(5, TimeUnit.SECONDS);
            withoutMac.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anExistingPersistentDeviceIsOpenedAndKeptAfterDisconnect() throws Exception {
        String name = persistentDevice(freshName());
        TapConfig config = TapConfig.builder().interfaceName(name).createIfMissing(false).build();
        TapNetif tap = TapNetif.open(config, loop);
        assertFalse(tap.created());
        assertTrue(tap.persistent());
        tap.disconnect().get(5, TimeUnit.SECONDS);
        assertTrue(interfaceExists(name), "a device that existed before is never deleted");
        // and it can be attached again once released
        TapNetif again = TapNetif.open(config, loop);
        again.disconnect().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeviceCreatedPersistentOutlivesDisconnect() throws Exception {
        String name = freshName();
        persistentDevices.add(name);
        TapNetif tap = TapNetif.open(TapConfig.builder().interfaceName(name).persistent(true).build(), loop);
        assertTrue(tap.created());
        assertTrue(tap.persistent());
        tap.disconnect().get(5, TimeUnit.SECONDS);
        assertTrue(interfaceExists(name));
    }

    @Test
    void aDeviceAlreadyAttachedIsDeviceBusy() throws Exception {
        String name = freshName();
        TapNetif first = TapNetif.open(TapConfig.named(name), loop);
        try {
            TapException.DeviceBusy e = assertThrows(TapException.DeviceBusy.class,
                    () -> TapNetif.open(TapConfig.named(name), loop));
            assertEquals(16, e.errno());
        } finally {
            first.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInterfaceThatIsNotATapIsNotATapDevice() {
        assertThrows(TapException.NotATapDevice.class, () -> TapNetif.open(TapConfig.named("lo"), loop));
        String tun = freshName();
        Commands.check("ip", "tuntap", "add", "dev", tun, "mode", "tun");
        persistentDevices.add(tun);
        assertThrows(TapException.NotATapDevice.class, () -> TapNetif.open(TapConfig.named(tun), loop));
    }

    @Test
    void creatingADeviceWithoutCapNetAdminIsPermissionDenied() throws Exception {
        String name = freshName();
        TapException.PermissionDenied e = ThreadCapabilities.withoutNetAdmin(() -> assertThrows(
                TapException.PermissionDenied.class, () -> TapNetif.open(TapConfig.named(name), loop)));
        assertEquals(1, e.errno(), "EPERM");
        assertTrue(e.getMessage().contains("ip tuntap add dev " + name + " mode tap user"), e.getMessage());
        assertFalse(interfaceExists(name));
    }

    @Test
    void attachingToAnotherUsersDeviceWithoutCapNetAdminIsPermissionDenied() throws Exception {
        String name = persistentDevice(freshName(), "user", "65534");
        TapConfig config = TapConfig.builder().interfaceName(name).createIfMissing(false).build();
        TapException.PermissionDenied e = ThreadCapabilities.withoutNetAdmin(() -> assertThrows(
                TapException.PermissionDenied.class, () -> TapNetif.open(config, loop)));
        assertTrue(e.getMessage().contains("another user"), e.getMessage());
    }

    @Test
    void aWriteAfterDisconnectIsDisconnected() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named(freshName()), loop);
        tap.disconnect().get(5, TimeUnit.SECONDS);
        Result<NetifError> result = FrameCollector.write(tap, new byte[60]);
        assertInstanceOf(NetifError.Disconnected.class, result.errorOrNull());
        assertFalse(tap.isOpen());
        assertEquals(1, tap.stats().txDrops());
    }

    @Test
    void disconnectIsIdempotentAndCompletesTheListenFuture() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named(freshName()), loop);
        CompletableFuture<Void> listening = tap.listen(frame -> { });
        assertFalse(listening.isDone());
        // The reader thread is blocked in poll: disconnect must wake it, not wait for a timeout.
        tap.disconnect().get(5, TimeUnit.SECONDS);
        listening.get(1, TimeUnit.SECONDS);
        tap.disconnect().get(1, TimeUnit.SECONDS);
        CompletableFuture<Void> fromLoop = loop.call(tap::disconnect);
        fromLoop.get(1, TimeUnit.SECONDS);
        assertTrue(tap.listen(frame -> { }).isDone(), "listening on a closed device returns a completed future");
    }

    @Test
    void aDeviceDeletedUnderTheNetifDisconnectsIt() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named(freshName()), loop);
        CompletableFuture<Void> listening = tap.listen(frame -> { });
        Commands.check("ip", "link", "del", "dev", tap.interfaceName());
        // The reader sees the device go (poll reports an error, read says EBADFD) and disconnects.
        listening.get(5, TimeUnit.SECONDS);
        assertFalse(tap.isOpen());
        assertInstanceOf(NetifError.Disconnected.class, FrameCollector.write(tap, new byte[60]).errorOrNull());
    }

    @Test
    void aFrameLargerThanMtuPlusHeaderIsExceedsMtu() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named(freshName()), loop);
        try {
            Result<NetifError> result = FrameCollector.write(tap, new byte[1515]);
            NetifError.ExceedsMtu error = assertInstanceOf(NetifError.ExceedsMtu.class, result.errorOrNull());
            assertEquals(1514, error.maxFrameSize());
            assertSame(Result.ok(), FrameCollector.write(tap, new byte[1514]));
            assertEquals(1, tap.stats().txPackets());
            assertEquals(1514, tap.stats().txBytes());
        } finally {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void writingOffTheEventLoopIsRefused() throws Exception {
        TapNetif tap = TapNetif.open(TapConfig.named(freshName()), loop);
        try {
            assertThrows(IllegalStateException.class, () -> tap.write(60, (b, o, m) -> 60));
        } finally {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
