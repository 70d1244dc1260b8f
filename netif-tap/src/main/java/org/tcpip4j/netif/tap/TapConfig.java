package org.tcpip4j.netif.tap;

import java.nio.file.Path;
import java.util.Objects;
import org.tcpip4j.netif.MacAddress;

/**
 * Which TAP device to open and how to set it up.
 *
 * @param interfaceName the device's name, at most 15 bytes; a name with {@code %d} (such as
 *     "tap%d") asks the kernel to pick a free number, and always creates a device
 * @param createIfMissing create the device when no interface has that name; when false, a
 *     missing device is {@link TapException.NoSuchDevice}
 * @param mac the stack's hardware address on this link, or null for a random unicast,
 *     locally administered one. It is the address of the host the stack plays behind the
 *     TAP, not the kernel's address of the TAP interface.
 * @param mtu the MTU to set on the device, or 0 to keep the device's own (1500 for a new TAP)
 * @param persistent keep a device this object creates after it is closed (TUNSETPERSIST);
 *     when false, a created device disappears when closed. A device that existed before is
 *     never deleted.
 * @param bringUp set the interface administratively up (it cannot carry frames while down)
 * @param tunDevice the TUN/TAP clone device, normally {@code /dev/net/tun}
 * @param receiveQueueCapacity how many received frames may wait for the event loop; frames
 *     beyond are dropped and counted in {@link org.tcpip4j.netif.NetifStats#rxDrops()}.
 *     Each holds a whole frame: with offloads on, a coalesced one of up to 64 KiB, so the
 *     default of 256 takes about 16 MiB of direct memory (about 400 KiB without)
 * @param offloads open the device with a {@code virtio_net_hdr} in front of every frame
 *     ({@code IFF_VNET_HDR}) and ask the kernel for checksum and TCP segmentation offloads
 *     ({@code TUNSETOFFLOAD}), as {@link TapNetif#offloads()} describes; when false, or
 *     when the kernel refuses the header, frames are plain and the device offers nothing
 */
public record TapConfig(String interfaceName, boolean createIfMissing, MacAddress mac, int mtu,
                        boolean persistent, boolean bringUp, Path tunDevice, int receiveQueueCapacity,
                        boolean offloads) {

    /** The clone device of the Linux TUN/TAP driver. */
    public static final Path DEFAULT_TUN_DEVICE = Path.of("/dev/net/tun");
    /** The default number of received frames that may wait for the loop. */
    public static final int DEFAULT_RECEIVE_QUEUE_CAPACITY = 256;
    /** The smallest MTU Linux accepts on an Ethernet device carrying IPv4 (RFC 791: 68 octets). */
    public static final int MIN_MTU = 68;
    /** The largest MTU this module accepts. */
    public static final int MAX_MTU = 65535;

    public TapConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(tunDevice, "tunDevice");
        if (mtu != 0 && (mtu < MIN_MTU || mtu > MAX_MTU)) {
            throw new IllegalArgumentException("MTU " + mtu + " outside " + MIN_MTU + ".." + MAX_MTU + " (0 keeps the device's)");
        }
        if (receiveQueueCapacity < 1 || receiveQueueCapacity > 65536) {
            throw new IllegalArgumentException("receive queue capacity outside 1..65536: " + receiveQueueCapacity);
        }
    }

    /**
     * The defaults for the device {@code interfaceName}: created if missing, random MAC, its
     * own MTU, brought up, offloads on.
     */
    public static TapConfig named(String interfaceName) {
        return builder().interfaceName(interfaceName).build();
    }

    /** A builder starting from the defaults, for a device the kernel names "tap%d". */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.interfaceName = interfaceName;
        b.createIfMissing = createIfMissing;
        b.mac = mac;
        b.mtu = mtu;
        b.persistent = persistent;
        b.bringUp = bringUp;
        b.tunDevice = tunDevice;
        b.receiveQueueCapacity = receiveQueueCapacity;
        b.offloads = offloads;
        return b;
    }

    /** Builds a {@link TapConfig}; every setting has a default. */
    public static final class Builder {
        private String interfaceName = "tap%d";
        private boolean createIfMissing = true;
        private MacAddress mac;
        private int mtu;
        private boolean persistent;
        private boolean bringUp = true;
        private Path tunDevice = DEFAULT_TUN_DEVICE;
        private int receiveQueueCapacity = DEFAULT_RECEIVE_QUEUE_CAPACITY;
        private boolean offloads = true;

        private Builder() {
        }

        /** The device's name, or a pattern with {@code %d}. */
        public Builder interfaceName(String name) {
            this.interfaceName = name;
            return this;
        }

        /** Whether to create the device when it does not exist (default true). */
        public Builder createIfMissing(boolean create) {
            this.createIfMissing = create;
            return this;
        }

        /** The stack's MAC address; null (the default) picks a random locally administered one. */
        public Builder mac(MacAddress mac) {
            this.mac = mac;
            return this;
        }

        /** The MTU to set; 0 (the default) keeps the device's. */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Whether a device created here outlives its closing (default false). */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** Whether to set the interface up (default true). */
        public Builder bringUp(boolean bringUp) {
            this.bringUp = bringUp;
            return this;
        }

        /** The TUN/TAP clone device (default {@code /dev/net/tun}). */
        public Builder tunDevice(Path path) {
            this.tunDevice = path;
            return this;
        }

        /** How many received frames may wait for the event loop (default 256). */
        public Builder receiveQueueCapacity(int capacity) {
            this.receiveQueueCapacity = capacity;
            return this;
        }

        /** Whether to ask for checksum and segmentation offloads (default true); false gives plain frames. */
        public Builder offloads(boolean offloads) {
            this.offloads = offloads;
            return this;
        }

        /** The configuration. */
        public TapConfig build() {
            return new TapConfig(interfaceName, createIfMissing, mac, mtu, persistent, bringUp, tunDevice,
                    receiveQueueCapacity, offloads);
        }
    }
}
