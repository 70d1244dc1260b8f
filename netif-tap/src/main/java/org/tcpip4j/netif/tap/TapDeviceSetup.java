package org.tcpip4j.netif.tap;

import static org.tcpip4j.netif.tap.internal.LinuxAbi.AF_INET;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_MULTI_QUEUE;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_NO_PI;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_TAP;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_UP;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_VNET_HDR;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFNAMSIZ;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.O_CLOEXEC;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.O_NONBLOCK;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.O_RDWR;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SIOCGIFFLAGS;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SIOCGIFMTU;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SIOCSIFFLAGS;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SIOCSIFMTU;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SOCK_CLOEXEC;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.SOCK_DGRAM;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNGETFEATURES;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETIFF;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETOFFLOAD;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETPERSIST;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETVNETHDRSZ;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETVNETLE;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUN_F_CSUM;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUN_F_TSO4;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUN_F_TSO6;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUN_F_TSO_ECN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.tcpip4j.netif.tap.internal.Errno;
import org.tcpip4j.netif.tap.internal.ErrnoCapture;
import org.tcpip4j.netif.tap.internal.InterfaceRequest;
import org.tcpip4j.netif.tap.internal.Libc;
import org.tcpip4j.netif.tap.internal.VirtioNetHeader;

/**
 * The control plane of opening a TAP device: check the name, open the clone device, attach
 * or create the interface (TUNSETIFF), set its MTU and bring it up through interface ioctls
 * on a datagram socket. Every failure becomes the {@link TapException} a user acts on.
 *
 * <p>With offloads asked for, the device is attached with IFF_VNET_HDR and a 10-byte
 * header (TUNSETVNETHDRSZ, {@link VirtioNetHeader}), and the receive offloads are
 * negotiated with TUNSETOFFLOAD, falling back to fewer; a kernel that refuses the header
 * gets plain frames. What is off, and why, is in {@link AttachedTap#offloadNote()}.
 *
 * <p>Everything happens in the network namespace of the calling thread: the TAP is created
 * where {@code /dev/net/tun} is opened, and the socket sees that namespace's interfaces, so
 * {@code ip netns exec NS java ...} opens a device inside NS.
 */
final class TapDeviceSetup {

    /**
     * An attached TAP: its descriptor, its real name, its MTU, whether this open created it,
     * the size of the {@code virtio_net_hdr} in front of its frames (0 for plain frames),
     * the TUN_F_ receive offloads the kernel accepted, and why offloads asked for are off
     * (null when none is).
     */
    record AttachedTap(int fd, String interfaceName, int mtu, boolean created, int vnetHeaderSize,
                       int offloadFlags, String offloadNote) {

        /** A device with plain frames. */
        AttachedTap(int fd, String interfaceName, int mtu, boolean created) {
            this(fd, interfaceName, mtu, created, 0, 0, null);
        }
    }

    private TapDeviceSetup() {
    }

    static AttachedTap attach(TapConfig config) throws TapException {
        return attach(config, false);
    }

    /**
     * Attaches to the device {@code config} names, creating it if allowed; with
     * {@code multiQueue}, as one queue of a multi-queue device (IFF_MULTI_QUEUE): the first
     * such attach creates the device, each further one adds a queue.
     */
    static AttachedTap attach(TapConfig config, boolean multiQueue) throws TapException {
        String requested = config.interfaceName();
        String nameProblem = invalidNameReason(requested);
        if (nameProblem != null) {
            throw new TapException.InvalidName(requested, 0,
                    "\"" + requested + "\" cannot name a network interface: " + nameProblem);
        }
        boolean pattern = requested.indexOf('%') >= 0;
        if (pattern && !config.createIfMissing()) {
            throw new TapException.InvalidName(requested, 0, "\"" + requested
                    + "\" is a pattern, which always creates a new device; give an exact name to open an existing one");
        }
        if (!isLinux()) {
            throw new TapException.NoTunDevice(requested, 0,
                    "TAP devices need Linux; this is " + System.getProperty("os.name"));
        }
        String tunPath = config.tunDevice().toString();
        try (Arena arena = Arena.ofConfined()) {
            ErrnoCapture errno = ErrnoCapture.allocate(arena);
            boolean existed = !pattern && Libc.ifNameToIndex(errno, requested) != 0;
            if (!existed && !config.createIfMissing()) {
                throw new TapException.NoSuchDevice(requested, Errno.ENODEV, "there is no network interface named "
                        + requested + " in this network namespace; create it first (ip tuntap add dev " + requested
                        + " mode tap) or allow creation (TapConfig.createIfMissing)");
            }
            String note = null;
            boolean vnet = config.offloads();
            if (vnet && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                note = "offloads off: the virtio_net_hdr is laid out little-endian and this host is big-endian";
                vnet = false;
            }
            while (true) {
                int fd = Libc.open(errno, arena.allocateFrom(tunPath), O_RDWR | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0) {
                    throw openFailure(requested, tunPath, errno.errno());
                }
                boolean attached = false;
                try {
                    if (vnet) {
                        MemorySegment features = arena.allocate(ValueLayout.JAVA_INT);
                        if (Libc.ioctl(errno, fd, TUNGETFEATURES, features) < 0) {
                            note = "offloads off: TUNGETFEATURES failed: " + Libc.describe(errno.errno());
                            vnet = false;
                        } else if ((features.get(ValueLayout.JAVA_INT, 0) & IFF_VNET_HDR) == 0) {
                            note = "offloads off: the TUN/TAP driver has no IFF_VNET_HDR";
                            vnet = false;
                        }
                    }
                    InterfaceRequest request = InterfaceRequest.forName(arena, requested);
                    request.setFlags((short) (IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0)
                            | (multiQueue ? IFF_MULTI_QUEUE : 0)));
                    if (Libc.ioctl(errno, fd, TUNSETIFF, request.segment()) < 0) {
                        int e = errno.errno();
                        throw attachFailure(requested,
                                existed || (!pattern && Libc.ifNameToIndex(errno, requested) != 0), e);
                    }
                    String name = request.name();
                    int offloadFlags = 0;
                    if (vnet) {
                        String refused = setVnetHeader(arena, errno, fd);
                        if (refused != null) {
                            // The header cannot be taken off this descriptor: close it (which
                            // deletes a device just created) and attach again without.
                            note = "offloads off: " + refused;
                            vnet = false;
                            continue;
                        }
                        offloadFlags = negotiateOffloads(errno, fd);
                        if ((offloadFlags & (TUN_F_TSO4 | TUN_F_TSO6)) != (TUN_F_TSO4 | TUN_F_TSO6)) {
                            note = "coalesced receive off: the kernel refused TUNSETOFFLOAD with TSO4|TSO6"
                                    + ((offloadFlags & TUN_F_CSUM) == 0
                                    ? ", and receive checksum offload off: it refused TUN_F_CSUM too" : "")
                                    + "; sending with checksum and segmentation offloads still works";
                        }
                    } else {
                        // A persistent device keeps what an earlier owner asked for; with plain
                        // frames the kernel must not hand over segments larger than the MTU.
                        Libc.ioctl(errno, fd, TUNSETOFFLOAD, 0L);
                    }
                    int mtu = configureLink(arena, errno, name, config);
                    if (config.persistent() && !existed && Libc.ioctl(errno, fd, TUNSETPERSIST, 1L) < 0) {
                        throw systemCall(name, "TUNSETPERSIST", errno.errno());
                    }
                    attached = true;
                    return new AttachedTap(fd, name, mtu, !existed, vnet ? VirtioNetHeader.SIZE : 0, offloadFlags,
                            note);
                } finally {
                    if (!attached) {
                        // Closing the last descriptor of a device we created also deletes it.
                        Libc.close(errno, fd);
                    }
                }
            }
        }
    }

    /**
     * Sets the size of the header to {@link VirtioNetHeader#SIZE} and its byte order to
     * little-endian on a descriptor attached with IFF_VNET_HDR; returns why not, or null.
     */
    private static String setVnetHeader(Arena arena, ErrnoCapture errno, int fd) {
        MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
        value.set(ValueLayout.JAVA_INT, 0, VirtioNetHeader.SIZE);
        if (Libc.ioctl(errno, fd, TUNSETVNETHDRSZ, value) < 0) {
            return "the kernel refused TUNSETVNETHDRSZ " + VirtioNetHeader.SIZE + ": " + Libc.describe(errno.errno());
        }
        // Little-endian is what legacy virtio means on a little-endian host anyway; saying so
        // overrides a big-endian setting an earlier owner of a persistent device left. A
        // kernel without TUNSETVNETLE (before 3.19) has no such setting.
        value.set(ValueLayout.JAVA_INT, 0, 1);
        Libc.ioctl(errno, fd, TUNSETVNETLE, value);
        return null;
    }

    /**
     * Asks for the receive offloads, fewer at each refusal: checksums, TCP segments over
     * IPv4 and IPv6 and with CWR; then without CWR; then checksums alone; then none. Never
     * UFO, USO4 or USO6: the UDP layer above takes one datagram a frame. Returns the TUN_F_
     * flags the kernel accepted.
     */
    private static int negotiateOffloads(ErrnoCapture errno, int fd) {
        int[] attempts = {TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
            TUN_F_CSUM, 0};
        for (int flags : attempts) {
            if (Libc.ioctl(errno, fd, TUNSETOFFLOAD, (long) flags) == 0) {
                return flags;
            }
        }
        return 0;
    }

    /**
     * Sets the MTU when one is configured, reads the MTU back, and brings the link up: a TAP
     * that is down rejects writes with EIO and receives nothing.
     */
    private static int configureLink(Arena arena, ErrnoCapture errno, String name, TapConfig config)
            throws TapException {
        int socket = Libc.socket(errno, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw systemCall(name, "socket(AF_INET, SOCK_DGRAM)", errno.errno());
        }
        try {
            InterfaceRequest request = InterfaceRequest.forName(arena, name);
            if (config.mtu() != 0) {
                request.setMtu(config.mtu());
                if (Libc.ioctl(errno, socket, SIOCSIFMTU, request.segment()) < 0) {
                    int e = errno.errno();
                    if (e == Errno.EPERM || e == Errno.EACCES) {
                        throw new TapException.PermissionDenied(name, e, "setting the MTU of " + name
                                + " needs CAP_NET_ADMIN: run as root, or set it beforehand (ip link set " + name
                                + " mtu " + config.mtu() + ") and leave TapConfig.mtu at 0");
                    }
                    throw systemCall(name, "SIOCSIFMTU " + config.mtu(), e);
                }
            }
            if (Libc.ioctl(errno, socket, SIOCGIFMTU, request.segment()) < 0) {
                throw systemCall(name, "SIOCGIFMTU", errno.errno());
            }
            int mtu = request.mtu();
            if (config.bringUp()) {
                if (Libc.ioctl(errno, socket, SIOCGIFFLAGS, request.segment()) < 0) {
                    throw systemCall(name, "SIOCGIFFLAGS", errno.errno());
                }
                short flags = request.flags();
                if ((flags & IFF_UP) == 0) {
                    request.setFlags((short) (flags | IFF_UP));
                    if (Libc.ioctl(errno, socket, SIOCSIFFLAGS, request.segment()) < 0) {
                        int e = errno.errno();
                        if (e == Errno.EPERM || e == Errno.EACCES) {
                            throw new TapException.PermissionDenied(name, e, "setting " + name
                                    + " up needs CAP_NET_ADMIN: run as root, or set it up beforehand (ip link set "
                                    + name + " up)");
                        }
                        throw systemCall(name, "SIOCSIFFLAGS", e);
                    }
                }
            }
            return mtu;
        } finally {
            Libc.close(errno, socket);
        }
    }

    private static TapException openFailure(String name, String tunPath, int errno) {
        String why = Libc.describe(errno);
        return switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> new TapException.NoTunDevice(name, errno, "cannot open "
                    + tunPath + ": " + why + "; the TUN/TAP driver is missing: load it (modprobe tun) or, in a"
                    + " container, pass the device in (docker run --device /dev/net/tun --cap-add NET_ADMIN)");
            case Errno.EACCES, Errno.EPERM -> new TapException.PermissionDenied(name, errno, "cannot open " + tunPath
                    + ": " + why + "; run as root (CAP_NET_ADMIN), or make the device readable and writable for"
                    + " this user and have root create the TAP for it (ip tuntap add dev NAME mode tap user USER)");
            default -> systemCall(name, "open(" + tunPath + ")", errno);
        };
    }

    private static TapException attachFailure(String name, boolean exists, int errno) {
        String why = Libc.describe(errno);
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> new TapException.PermissionDenied(name, errno, exists
                    ? "cannot attach to TAP device " + name + ": " + why + "; it belongs to another user or group: run"
                            + " as root, or have root re-create it for this user (ip tuntap add dev " + name
                            + " mode tap user USER)"
                    : "cannot create TAP device " + name + ": " + why + "; creating a device needs CAP_NET_ADMIN: run"
                            + " as root, or have root create it for this user first (ip tuntap add dev " + name
                            + " mode tap user USER)");
            case Errno.EBUSY -> new TapException.DeviceBusy(name, errno, "TAP device " + name
                    + " is already attached to another file descriptor (another process, or another TapNetif in"
                    + " this one): close that first");
            case Errno.EINVAL -> exists
                    ? new TapException.NotATapDevice(name, errno, "the interface " + name
                            + " exists but is not a single-queue TAP device (it is a TUN device, a multi-queue TAP,"
                            + " or another kind of interface): pick another name")
                    : new TapException.InvalidName(name, errno, "the kernel refused \"" + name
                            + "\" as an interface name: " + why);
            default -> systemCall(name, "ioctl(TUNSETIFF)", errno);
        };
    }

    private static TapException.SystemCallFailed systemCall(String name, String call, int errno) {
        return new TapException.SystemCallFailed(name, errno, call + " failed for " + name + ": " + Libc.describe(errno));
    }

    /**
     * Why {@code name} cannot name a Linux interface, or null when it can: the rules of the
     * kernel's {@code dev_valid_name} plus at most one {@code %d} (what {@code dev_alloc_name}
     * accepts), restricted to printable ASCII so the name survives every tool.
     */
    static String invalidNameReason(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length >= IFNAMSIZ) {
            return "it is longer than " + (IFNAMSIZ - 1) + " bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "\".\" and \"..\" are reserved";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return "it contains a space, a control or a non-ASCII character";
            }
            if (c == '/' || c == ':') {
                return "it contains '" + c + "'";
            }
        }
        int percent = name.indexOf('%');
        if (percent >= 0 && (!name.startsWith("%d", percent) || name.indexOf('%', percent + 1) >= 0)) {
            return "'%' may only appear once, as \"%d\" (a number the kernel picks)";
        }
        return null;
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }
}
