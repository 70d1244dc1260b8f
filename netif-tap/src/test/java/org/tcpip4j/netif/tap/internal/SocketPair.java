package org.tcpip4j.netif.tap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Two connected non-blocking AF_UNIX seqpacket sockets standing in for a TAP device and the
 * kernel behind it: each write is one message, read whole, as a TAP reads and writes whole
 * frames. Needs no privilege and no {@code /dev/net/tun}.
 */
public final class SocketPair implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final ErrnoCapture errno = ErrnoCapture.allocate(arena);
    private final MemorySegment buffer = arena.allocate(70_000, 8);
    /** The end given to the code under test (the "device"). */
    public final int device;
    /** The end the test drives (the "kernel"). */
    public final int peer;
    private boolean peerClosed;

    public SocketPair() {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        int r = Libc.socketpair(errno, LinuxAbi.AF_UNIX,
                LinuxAbi.SOCK_SEQPACKET | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, 0, fds);
        if (r != 0) {
            throw new IllegalStateException("socketpair failed: " + Libc.describe(errno.errno()));
        }
        device = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
    }

    /**
     * Writes {@code frame} as one message from the peer end, retrying while the socket
     * buffer is full; returns how many writes met EAGAIN first. Test thread only.
     */
    public synchronized int send(byte[] frame) throws InterruptedException {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        int eagain = 0;
        while (true) {
            long n = Libc.write(errno, peer, buffer, frame.length);
            if (n == frame.length) {
                return eagain;
            }
            if (n >= 0) {
                throw new AssertionError("short write " + n + " of " + frame.length);
            }
            int e = errno.errno();
            if (e != Errno.EAGAIN && e != Errno.EINTR) {
                throw new AssertionError("write failed: " + Libc.describe(e));
            }
            eagain++;
            Thread.sleep(0, 100_000);
        }
    }

    /** One message from the peer end, or null when none is waiting (EAGAIN). */
    public synchronized byte[] receive() {
        long n = Libc.read(errno, peer, buffer, buffer.byteSize());
        if (n < 0) {
            int e = errno.errno();
            if (e == Errno.EAGAIN) {
                return null;
            }
            throw new AssertionError("read failed: " + Libc.describe(e));
        }
        return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The next message from the peer end, waiting up to {@code millis}. */
    public byte[] receive(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            byte[] frame = receive();
            if (frame != null) {
                return frame;
            }
            Thread.sleep(1);
        }
        return null;
    }

    /** Closes the peer end: the device end then reads end of file, as after the device went away. */
    public synchronized void closePeer() {
        if (!peerClosed) {
            peerClosed = true;
            Libc.close(errno, peer);
        }
    }

    /** Closes the device end; only for tests where the code under test does not own it. */
    public synchronized void closeDevice() {
        Libc.close(errno, device);
    }

    @Override
    public synchronized void close() {
        closePeer();
        arena.close();
    }
}
