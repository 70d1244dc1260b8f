package org.tcpip4j.netif.tap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where the linker stores {@code errno} after a downcall. One per thread that makes native
 * calls (the reader thread, the event loop, the thread that opens the device), reused for
 * every call so the data path allocates nothing.
 */
public final class ErrnoCapture {

    private final MemorySegment state;

    private ErrnoCapture(MemorySegment state) {
        this.state = state;
    }

    /** A capture area in memory the garbage collector frees. */
    public static ErrnoCapture allocate() {
        return new ErrnoCapture(Arena.ofAuto().allocate(Libc.CALL_STATE));
    }

    /** A capture area that lives as long as {@code arena}. */
    public static ErrnoCapture allocate(Arena arena) {
        return new ErrnoCapture(arena.allocate(Libc.CALL_STATE));
    }

    MemorySegment state() {
        return state;
    }

    /** The {@code errno} the last call through this capture left. */
    public int errno() {
        return (int) Libc.ERRNO.get(state, 0L);
    }
}
