package org.tcpip4j.netif.tap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} (linux/if.h): the interface name in the first {@link LinuxAbi#IFNAMSIZ}
 * bytes, then a 24-byte union of which this module uses the {@code short ifr_flags} and the
 * {@code int ifr_mtu}, both at offset 16. The whole structure is 40 bytes on 64-bit Linux.
 */
public final class InterfaceRequest {

    private static final long SIZE = 40;
    private static final long UNION_OFFSET = 16;

    private final MemorySegment segment;

    private InterfaceRequest(MemorySegment segment) {
        this.segment = segment;
    }

    /** A zeroed request naming {@code interfaceName} (at most 15 bytes, checked by the caller). */
    public static InterfaceRequest forName(Arena arena, String interfaceName) {
        InterfaceRequest request = new InterfaceRequest(arena.allocate(SIZE, 8));
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= LinuxAbi.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + interfaceName);
        }
        MemorySegment.copy(name, 0, request.segment, ValueLayout.JAVA_BYTE, 0, name.length);
        return request;
    }

    /** The memory to pass to {@code ioctl}. */
    public MemorySegment segment() {
        return segment;
    }

    /** The name the kernel left in the request (TUNSETIFF fills in a name made from a pattern). */
    public String name() {
        return segment.asSlice(0, LinuxAbi.IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);
    }

    /** {@code ifr_flags}. */
    public short flags() {
        return segment.get(ValueLayout.JAVA_SHORT, UNION_OFFSET);
    }

    /** Sets {@code ifr_flags}. */
    public void setFlags(short flags) {
        segment.set(ValueLayout.JAVA_SHORT, UNION_OFFSET, flags);
    }

    /** {@code ifr_mtu}. */
    public int mtu() {
        return segment.get(ValueLayout.JAVA_INT, UNION_OFFSET);
    }

    /** Sets {@code ifr_mtu}. */
    public void setMtu(int mtu) {
        segment.set(ValueLayout.JAVA_INT, UNION_OFFSET, mtu);
    }
}
