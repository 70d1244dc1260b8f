package org.tcpip4j.ethernet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.EthernetProvider;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultEthernetTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingNetif netif = new CapturingNetif(OURS, 1500, loop);
    private final DefaultEthernet ethernet = new DefaultEthernet(netif, StackContext.seeded(loop, 1, "test"));
    private final List<String> arp = new ArrayList<>();
    private final List<String> ipv4 = new ArrayList<>();
    private final List<String> ipv6 = new ArrayList<>();

    private PayloadHandler recording(List<String> into) {
        return p -> {
            byte[] b = new byte[p.remaining()];
            p.get(p.position(), b);
            into.add(HEX.formatHex(b));
        };
    }

    private void input(String hex) {
        byte[] bytes = HEX.parseHex(hex);
        // Deliver at a non-zero offset to catch code that assumes position 0.
        ByteBuffer b = ByteBuffer.allocate(bytes.length + 5);
        b.position(5);
        b.put(bytes);
        b.position(5);
        ethernet.input(b, recording(arp), recording(ipv4), recording(ipv6));
    }

    private long count(String name) {
        return ethernet.counters().get(name);
    }

    @Test
    void framesForOurMacGoToTheHandlerOfTheirEthertypeWithoutTheHeader() {
        input("020000000001" + "020000000002" + "0800" + "45000014");
        input("020000000001" + "020000000002" + "0806" + "0001");
        input("020000000001" + "020000000002" + "86dd" + "60");
        assertEquals(List.of("45000014"), ipv4);
        assertEquals(List.of("0001"), arp);
        assertEquals(List.of("60"), ipv6);
        assertEquals(3, count("rx.frames"));
        assertEquals(3 * 14 + 4 + 2 + 1, count("rx.bytes"));
    }

    @Test
    void broadcastFramesAreAcceptedWithoutJoiningAnything() {
        input("ffffffffffff" + "020000000002" + "0806" + "aa");
        assertEquals(List.of("aa"), arp);
    }

    @Test
    void multicastFramesAreAcceptedOnlyForGroupsJoined() {
        input("01005e000001" + "020000000002" + "0800" + "bb");
        input("333300000001" + "020000000002" + "86dd" + "cc");
        assertEquals(List.of(), ipv4);
        assertEquals(List.of(), ipv6);
        assertEquals(2, count("rx.group_not_joined"));
        ethernet.joinGroup(MacAddress.parse("01:00:5e:00:00:01"));
        input("01005e000001" + "020000000002" + "0800" + "bb");
        input("01005e000002" + "020000000002" + "0800" + "dd");
        assertEquals(List.of("bb"), ipv4);
        assertEquals(3, count("rx.group_not_joined"));
    }

    @Test
    void aGroupJoinedTwiceIsLeftAfterTwoLeaves() {
        MacAddress group = MacAddress.parse("01:00:5e:00:00:fb");
        MacAddress other = MacAddress.parse("01:00:5e:00:00:fc");
        ethernet.joinGroup(group);
        ethernet.joinGroup(other);
        ethernet.joinGroup(group);
        ethernet.leaveGroup(group);
        input("01005e0000fb" + "020000000002" + "0800" + "01");
        ethernet.leaveGroup(group);
        input("01005e0000fb" + "020000000002" + "0800" + "02");
        input("01005e0000fc" + "020000000002" + "0800" + "03");
        ethernet.leaveGroup(group);
        assertEquals(List.of("01", "03"), ipv4);
    }

    @Test
    void onlyMulticastAddressesCanBeJoined() {
        assertThrows(IllegalArgumentException.class, () -> ethernet.joinGroup(PEER));
        assertThrows(IllegalArgumentException.class, () -> ethernet.joinGroup(MacAddress.BROADCAST));
    }

    @Test
    void framesForAnotherUnicastMacAreCountedAndDropped() {
        input("020000000003" + "020000000002" + "0800" + "45");
        assertEquals(List.of(), ipv4);
        assertEquals(1, count("rx.not_for_us"));
    }

    @Test
    void runtFramesAreCountedAndDropped() {
        input("");
        input("02000000000102000000000208");
        assertEquals(2, count("rx.runt"));
        assertEquals(List.of(), ipv4);
    }

    @Test
    void aHeaderWithoutPayloadIsDeliveredEmpty() {
        input("020000000001" + "020000000002" + "0800");
        assertEquals(List.of(""), ipv4);
    }

    @Test
    void unknownEthertypesAnd8023LengthFramesAreCountedAndDropped() {
        input("020000000001" + "020000000002" + "88cc" + "00");
        input("020000000001" + "020000000002" + "0040" + "00");
        input("020000000001" + "020000000002" + "8100" + "00");
        assertEquals(3, count("rx.unknown_ethertype"));
    }

    @Test
    void aNullHandlerCountsTheFrameAsDropped() {
        ByteBuffer b = ByteBuffer.wrap(HEX.parseHex("020000000001" + "020000000002" + "86dd" + "60"));
        ethernet.input(b, recording(arp), recording(ipv4), null);
        assertEquals(1, count("rx.no_handler"));
    }

    @Test
    void paddingAndTrailingBytesAreHandedUpForTheLayerAboveToTrim() {
        String padded = "0001080006040001" + "00".repeat(38);
        input("ffffffffffff" + "020000000002" + "0806" + padded);
        assertEquals(List.of(padded), arp);
    }

    @Test
    void writePutsTheHeaderThenThePayloadIntoTheDevicesBuffer() {
        Result<EthernetError> r = ethernet.write(null, PEER, EtherType.IPV4, 4, (buf, off, max) -> {
            assertEquals(4, max);
            buf.putInt(off, 0x45000014);
            return 4;
        });
        assertTrue(r.isOk());
        assertEquals(1, netif.frames.size());
        assertArrayEquals(HEX.parseHex("020000000002" + "020000000001" + "0800" + "45000014"), netif.frames.get(0));
        assertEquals(1, count("tx.frames"));
        assertEquals(18, count("tx.bytes"));
    }

    @Test
    void writeUsesTheGivenSourceMacAndSendsOnlyWhatThePayloadWrote() {
        ethernet.write(PEER, MacAddress.BROADCAST, EtherType.ARP, 28, (buf, off, max) -> {
            buf.put(off, (byte) 0x7f);
            return 1;
        });
        assertArrayEquals(HEX.parseHex("ffffffffffff" + "020000000002" + "0806" + "7f"), netif.frames.get(0));
        assertEquals(15, count("tx.bytes"));
    }

    @Test
    void aPayloadLargerThanTheMtuIsRefusedWithoutTouchingTheDevice() {
        Result<EthernetError> r = ethernet.write(null, PEER, EtherType.IPV4, 1501, (buf, off, max) -> 0);
        assertEquals(new EthernetError.ExceedsMtu(1501, 1500), r.errorOrNull());
        assertTrue(netif.frames.isEmpty());
        assertTrue(ethernet.write(null, PEER, EtherType.IPV4, 1500, (buf, off, max) -> max).isOk());
        assertEquals(1514, netif.frames.get(0).length);
    }

    @Test
    void deviceErrorsAreWrappedAndCounted() {
        netif.failWith = NetifError.DISCONNECTED;
        Result<EthernetError> r = ethernet.write(null, PEER, EtherType.IPV4, 4, (buf, off, max) -> 4);
        EthernetError.Netif e = assertInstanceOf(EthernetError.Netif.class, r.errorOrNull());
        assertEquals(NetifError.DISCONNECTED, e.error());
        assertEquals(1, count("tx.errors"));
        assertEquals(0, count("tx.frames"));
    }

    @Test
    void aWriteFromInsideAPayloadWriterGetsAWriterOfItsOwn() {
        ethernet.write(null, PEER, EtherType.IPV4, 2, (buf, off, max) -> {
            ethernet.write(null, PEER, EtherType.ARP, 1, (b2, o2, m2) -> {
                b2.put(o2, (byte) 0x22);
                return 1;
            });
            buf.putShort(off, (short) 0x1111);
            return 2;
        });
        assertArrayEquals(HEX.parseHex("020000000002" + "020000000001" + "0806" + "22"), netif.frames.get(0));
        assertArrayEquals(HEX.parseHex("020000000002" + "020000000001" + "0800" + "1111"), netif.frames.get(1));
    }

    @Test
    void afterDisconnectNothingIsWrittenOrDelivered() {
        ethernet.disconnect().join();
        Result<EthernetError> r = ethernet.write(null, PEER, EtherType.IPV4, 4, (buf, off, max) -> 4);
        assertEquals(new EthernetError.Netif(NetifError.DISCONNECTED), r.errorOrNull());
        input("020000000001" + "020000000002" + "0800" + "45");
        assertTrue(ipv4.isEmpty());
    }

    @Test
    void receivingAndWritingAllocateNothingInTheSteadyState() {
        ByteBuffer device = ByteBuffer.allocateDirect(1514);
        CapturingNetif sink = new CapturingNetif(OURS, 1500, loop) {
            @Override
            public org.tcpip4j.netif.Result<NetifError> write(int size, org.tcpip4j.netif.PacketWriter writer) {
                device.clear();
                writer.write(device, 0, size);
                return Result.ok();
            }
        };
        DefaultEthernet steady = new DefaultEthernet(sink, StackContext.seeded(loop, 1, "steady"));
        ByteBuffer frame = ByteBuffer.wrap(HEX.parseHex("020000000001" + "020000000002" + "0800" + "00".repeat(100)));
        PayloadHandler drop = p -> { };
        org.tcpip4j.netif.PacketWriter payload = (buf, off, max) -> max;
        Runnable round = () -> {
            frame.clear();
            steady.input(frame, drop, drop, drop);
            steady.write(null, PEER, EtherType.IPV4, 1000, payload);
        };
        for (int i = 0; i < 20_000; i++) {
            round.run();
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            round.run();
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 frames each way");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        // The module's descriptor does not use its own SPI; the test, patched into it, does.
        getClass().getModule().addUses(EthernetProvider.class);
        EthernetProvider p = ServiceLoader.load(EthernetProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .findFirst()
                .orElseThrow();
        assertEquals(OURS, p.create(netif, StackContext.seeded(loop, 1, "t")).mac());
    }

    @Test
    void aDeviceWhoseMtuIPv4CannotUseIsRefusedWithOneClearLine() {
        for (int mtu : new int[] {67, 0, -1, 65_536}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DefaultEthernet(new CapturingNetif(OURS, mtu, loop), StackContext.seeded(loop, 1, "t")));
            org.junit.jupiter.api.Assertions.assertEquals("the device's MTU must be in 68..65535: " + mtu, e.getMessage());
        }
        new DefaultEthernet(new CapturingNetif(OURS, 68, loop), StackContext.seeded(loop, 1, "t"));
        new DefaultEthernet(new CapturingNetif(OURS, 65_535, loop), StackContext.seeded(loop, 1, "t"));
    }
}
