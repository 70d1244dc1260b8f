package org.tcpip4j.ethernet;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * ETHERNET: Ethernet II framing over a {@link org.tcpip4j.netif.Netif} (Mirage's
 * {@code Ethernet.S}). Demultiplexes received frames by ethertype and writes frames with
 * their header into the device's buffer. Loop only, but for {@link #mac()},
 * {@link #mtu()} and {@link #counters()}.
 */
public interface Ethernet {

    /** The MAC address frames are sent from and accepted for. */
    MacAddress mac();

    /** The largest payload a frame carries (the device's MTU). */
    int mtu();

    /** What the device below does beyond carrying frames ({@link org.tcpip4j.netif.Netif#offloads()}). */
    default NetifOffloads offloads() {
        return NetifOffloads.NONE;
    }

    /**
     * On the loop, while a payload is being delivered: true when the device vouches for the
     * TCP and UDP checksums of the frame it came in ({@link org.tcpip4j.netif.Netif#rxChecksumValid()}).
     */
    default boolean rxChecksumValid() {
        return false;
    }

    /**
     * Handles one received frame (the buffer's position..limit): a frame for our MAC, for
     * broadcast or for a multicast group we joined is handed, without its header, to the
     * handler for its ethertype; anything else is counted and dropped. A handler may be
     * {@code null}: that ethertype is then counted and dropped.
     */
    void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6);

    /**
     * Accepts frames sent to the multicast address {@code group} from now on (IEEE 802.3
     * 4.2.4.1.2: a station takes the group addresses it recognises; broadcast always). Joins
     * are counted: a group joined twice is left after two {@link #leaveGroup} calls. The
     * default refuses: an implementation that filters no groups says so. Loop only.
     *
     * @throws IllegalArgumentException when {@code group} is not a multicast address, or is
     *     broadcast (always accepted)
     */
    default void joinGroup(MacAddress group) {
        throw new UnsupportedOperationException(getClass().getName() + " does not filter multicast groups");
    }

    /**
     * Undoes one {@link #joinGroup} of {@code group}; nothing happens for a group not joined.
     * Loop only.
     */
    default void leaveGroup(MacAddress group) {
        throw new UnsupportedOperationException(getClass().getName() + " does not filter multicast groups");
    }

    /**
     * Writes one frame (Mirage's {@code write ?src dst proto ~size fill}): {@code payload}
     * fills at most {@code size} bytes after the header and returns how many it wrote.
     *
     * @param src the source MAC, or {@code null} for {@link #mac()}
     * @return ok once the device took the frame; {@link EthernetError.ExceedsMtu} when
     *     {@code size} is over {@link #mtu()}; {@link EthernetError.Netif} when the device failed
     */
    Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload);

    /** The layer's counters. */
    Counters counters();

    /** Disconnects the layer; the device below is disconnected by its owner. */
    CompletableFuture<Void> disconnect();
}
