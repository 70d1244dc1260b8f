package org.tcpip4j.netif.tap.internal;

/**
 * The numbers of the Linux ABI this module uses: open flags, the TUN/TAP and interface
 * ioctls, poll and eventfd flags. They are the same on x86_64 and aarch64.
 */
public final class LinuxAbi {

    // fcntl.h
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // linux/if_tun.h: TUNSETIFF = _IOW('T', 202, int), TUNSETPERSIST = _IOW('T', 203, int)
    public static final long TUNSETIFF = 0x400454caL;
    public static final long TUNSETPERSIST = 0x400454cbL;
    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    /** Every frame, both ways, has a {@code struct virtio_net_hdr} in front ({@link VirtioNetHeader}). */
    public static final short IFF_VNET_HDR = 0x4000;
    // One descriptor per queue of one device (Linux 3.8+): each TUNSETIFF adds a queue.
    public static final short IFF_MULTI_QUEUE = 0x0100;
    // TUNGETFEATURES = _IOR('T', 207, unsigned int): the IFF_ flags the driver supports.
    public static final long TUNGETFEATURES = 0x800454cfL;
    // TUNSETOFFLOAD = _IOW('T', 208, unsigned int), the TUN_F_ flags as the argument itself.
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    // TUNSETVNETHDRSZ = _IOW('T', 216, int), TUNSETVNETLE = _IOW('T', 220, int): pointers to an int.
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    public static final long TUNSETVNETLE = 0x400454dcL;
    // TUNSETOFFLOAD flags: what this end accepts from the kernel.
    /** Frames with partial checksums (NEEDS_CSUM). */
    public static final int TUN_F_CSUM = 0x01;
    /** TCP over IPv4 segments larger than the MTU (GSO TCPV4). */
    public static final int TUN_F_TSO4 = 0x02;
    /** TCP over IPv6 segments larger than the MTU (GSO TCPV6). */
    public static final int TUN_F_TSO6 = 0x04;
    /** Such TCP segments with CWR set (the ECN bit of gso_type). */
    public static final int TUN_F_TSO_ECN = 0x08;
    /** UDP fragmentation offload: never set here. */
    public static final int TUN_F_UFO = 0x10;
    /** UDP segmentation offload: never set here. */
    public static final int TUN_F_USO4 = 0x20;
    /** UDP segmentation offload over IPv6: never set here. */
    public static final int TUN_F_USO6 = 0x40;

    // linux/sockios.h: interface ioctls on any socket of the namespace
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCSIFMTU = 0x8922;
    // linux/if.h
    public static final short IFF_UP = 0x1;
    /** IFNAMSIZ: an interface name has at most 15 bytes and a terminating NUL. */
    public static final int IFNAMSIZ = 16;

    // sys/socket.h
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    // poll.h
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    // sys/eventfd.h
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    private LinuxAbi() {
    }
}
