package org.tcpip4j.netif.tap;

import static org.tcpip4j.netif.tap.internal.LinuxAbi.AF_INET;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_NO_PI;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_TAP;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.IFF_UP;
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
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETIFF;
import static org.tcpip4j.netif.tap.internal.LinuxAbi.TUNSETPERSIST;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.tcpip4j.netif.tap.internal.Errno;
import org.tcpip4j.netif.tap.internal.ErrnoCapture;
import org.tcpip4j.netif.tap.internal.InterfaceRequest;
import org.tcpip4j.netif.tap.internal.Libc;

/**
 * The control plane of opening a TAP device: check the name, open the clone device, attach
 * or create the interface (TUNSETIFF), set its MTU and bring it up through interface ioctls
 * on a datagram socket. Every failure becomes the {@link TapException} a user acts on.
 *
 * <p>Everything happens in the network namespace of the calling thread: the TAP is created
 * where {@code /dev/net/tun} is opened, and the socket sees that namespace's interfaces, so
 * {@code ip netns exec NS java ...} opens a device inside NS.
 */
final class TapDeviceSetup {

    /** An attached TAP: its descriptor, its real name, its MTU, and whether this open created it. */
    record AttachedTap(int fd, String interfaceName, int mtu, boolean created) {
    }

    private TapDeviceSetup() {
    }

    static AttachedTap attach(TapConfig config) throws TapException {
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
            int fd = Libc.open(errno, arena.allocateFrom(tunPath), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                throw openFailure(requested, tunPath, errno.errno());
            }
            boolean attached = false;
            try {
                InterfaceRequest request = InterfaceRequest.forName(arena, requested);
                request.setFlags((short) (IFF_TAP | IFF_NO_PI));
                if (Libc.ioctl(errno, fd, TUNSETIFF, request.segment()) < 0) {
                    int e = errno.errno();
                    throw attachFailure(requested, existed || (!pattern && Libc.ifNameToIndex(errno, requested) != 0), e);
                }
                String name = request.name();
                int mtu = configureLink(arena, errno, name, config);
                if (config.persistent() && !existed && Libc.ioctl(errno, fd, TUNSETPERSIST, 1L) < 0) {
                    throw systemCall(name, "TUNSETPERSIST", errno.errno());
                }
                attached = true;
                return new AttachedTap(fd, name, mtu, !existed);
            } finally {
                if (!attached) {
                    // Closing the last descriptor of a device we created also deletes it.
                    Libc.close(errno, fd);
                }
            }
        }
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
