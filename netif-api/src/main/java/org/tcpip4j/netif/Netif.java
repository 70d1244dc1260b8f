package org.tcpip4j.netif;

import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A network device that writes and receives whole Ethernet frames: Mirage's NETIF
 * ({@code Mirage_net.S}).
 *
 * <p>Every method but {@link #stats()}, {@link #mac()}, {@link #mtu()} and
 * {@link #disconnect()} is called on the device's {@link #loop() event loop}; frames are
 * delivered to the listener on that loop too.
 */
public interface Netif {

    /** The device's hardware address. */
    MacAddress mac();

    /**
     * The largest Ethernet payload the device carries, in bytes (1500 on a usual link). A
     * frame may be up to {@code mtu() + 14} bytes long: the Ethernet header is not counted,
     * nor the FCS, which devices add and strip themselves.
     */
    int mtu();

    /** The event loop the device delivers frames on and is written from. */
    EventLoop loop();

    /**
     * Writes one frame (Mirage's {@code write t ~size fill}): the device lends a buffer of
     * at least {@code size} bytes, {@code writer} fills the frame from its offset and
     * returns the frame's real length, and the device sends it. A writer that returns a
     * length outside {@code 0..size} is a bug: the device throws
     * {@link IllegalStateException}. A frame shorter than an Ethernet header is refused
     * with {@link NetifError.DeviceError}.
     *
     * <p>A device that cuts TCP segments ({@link NetifOffloads#tso4()}, {@code tso6}) takes
     * frames up to {@link NetifOffloads#maxTsoFrame()} when they hold such a segment, as
     * {@link NetifOffloads} describes; any other frame over {@code mtu() + 14} is refused.
     *
     * @return {@link Result#ok()} once the frame is handed to the device, or an error:
     *     {@link NetifError.Disconnected}, {@link NetifError.ExceedsMtu} when {@code size}
     *     is over {@code mtu() + 14} (and not a segment the device cuts),
     *     {@link NetifError.DeviceError}
     */
    Result<NetifError> write(int size, PacketWriter writer);

    /**
     * Delivers every received frame to {@code handler} (Mirage's {@code listen}), replacing
     * any handler set before.
     *
     * @return a future that completes when the device is disconnected
     */
    CompletableFuture<Void> listen(FrameHandler handler);

    /** A snapshot of the counters. Safe from any thread. */
    NetifStats stats();

    /** Sets the counters to zero. */
    void resetStats();

    /**
     * Disconnects the device: no frame is delivered or written after it. Idempotent; never
     * fails (Mirage's {@code disconnect}).
     *
     * @return a future that completes once the device has released its resources
     */
    CompletableFuture<Void> disconnect();

    /**
     * What the device does to frames beyond carrying them ({@link NetifOffloads}); the
     * layers above read it once, when they are built. A device that offers nothing returns
     * {@link NetifOffloads#NONE}.
     */
    default NetifOffloads offloads() {
        return NetifOffloads.NONE;
    }

    /**
     * On the loop, while a frame is being delivered to the handler: true when the device
     * vouches for the TCP and UDP checksums of that frame (Linux's
     * {@code CHECKSUM_UNNECESSARY} or {@code CHECKSUM_PARTIAL}: verified by the device or
     * the kernel, or written by a stack on the same host and never exposed to corruption),
     * so that TCP and UDP need not verify them. False by default, and outside a delivery.
     */
    default boolean rxChecksumValid() {
        return false;
    }

    /** The length of an Ethernet II header: destination, source, ethertype. */
    int ETHERNET_HEADER_SIZE = 14;
}
