package org.tcpip4j.netif.tap;

/**
 * Why a TAP device could not be opened: one subclass per cause a user acts on differently,
 * each with a message that says what to do.
 *
 * <p>Opening is the only operation that throws. Once open, a device reports failures as
 * values: a write after {@link TapNetif#disconnect()} returns
 * {@link org.tcpip4j.netif.NetifError.Disconnected}.
 */
public abstract sealed class TapException extends Exception {

    private final String interfaceName;
    private final int errno;

    private TapException(String interfaceName, int errno, String message) {
        super(message);
        this.interfaceName = interfaceName;
        this.errno = errno;
    }

    /** The interface name the failed open was asked for (possibly a pattern such as "tap%d"). */
    public String interfaceName() {
        return interfaceName;
    }

    /** The {@code errno} behind the failure, or 0 when the failure was found before any system call. */
    public int errno() {
        return errno;
    }

    /**
     * There is no TUN/TAP driver to open: {@code /dev/net/tun} (or the configured path) is
     * missing, the {@code tun} kernel module is not loaded, or this is not Linux.
     */
    public static final class NoTunDevice extends TapException {
        NoTunDevice(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /**
     * The process lacks the right: opening {@code /dev/net/tun}, creating a device, or
     * configuring one needs CAP_NET_ADMIN. Run as root (or with that capability), or have
     * root create the device for this user first:
     * {@code ip tuntap add dev NAME mode tap user USER} and {@code ip link set NAME up}.
     */
    public static final class PermissionDenied extends TapException {
        PermissionDenied(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /** The device does not exist and the configuration asked not to create it. */
    public static final class NoSuchDevice extends TapException {
        NoSuchDevice(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /** The TAP device exists and another file descriptor (often another process) already has it. */
    public static final class DeviceBusy extends TapException {
        DeviceBusy(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /** The name cannot name a Linux interface (empty, over 15 bytes, or with '/', ':', '%' misuse or spaces). */
    public static final class InvalidName extends TapException {
        InvalidName(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /** An interface of that name exists but is not a single-queue TAP device (a TUN device, a NIC, a bridge). */
    public static final class NotATapDevice extends TapException {
        NotATapDevice(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }

    /** A system call failed for a reason none of the other cases covers; the message names the call and the errno. */
    public static final class SystemCallFailed extends TapException {
        SystemCallFailed(String interfaceName, int errno, String message) {
            super(interfaceName, errno, message);
        }
    }
}
