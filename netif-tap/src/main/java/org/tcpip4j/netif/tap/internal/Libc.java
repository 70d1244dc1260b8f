package org.tcpip4j.netif.tap.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc functions a TAP device needs, as FFM downcalls.
 *
 * <p>Every call that can fail takes an {@link ErrnoCapture}: the JVM may itself make system
 * calls between a native call and the next Java statement, so {@code errno} is only
 * reliable when the linker captures it as part of the call.
 *
 * <p>Restricted methods are the point of this class; the module asks for native access
 * ({@code --enable-native-access=org.tcpip4j.netif.tap}).
 */
@SuppressWarnings("restricted")
public final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // int open(const char *path, int flags, ...): the mode is variadic.
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    // int ioctl(int fd, unsigned long request, ...): the argument is variadic, a pointer for
    // the ifreq requests and an integer for TUNSETPERSIST.
    private static final MethodHandle IOCTL_POINTER = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    // int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask)
    private static final MethodHandle PPOLL = downcall("ppoll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SOCKETPAIR = downcall("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** {@code open(path, flags)}; -1 and errno on failure. */
    public static int open(ErrnoCapture errno, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(errno.state(), path, flags, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(fd)}. */
    public static int close(ErrnoCapture errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno.state(), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code read(fd, buffer, length)}: bytes read, or -1 and errno. */
    public static long read(ErrnoCapture errno, int fd, MemorySegment buffer, long length) {
        try {
            return (long) READ.invokeExact(errno.state(), fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(fd, buffer, length)}: bytes written, or -1 and errno. */
    public static long write(ErrnoCapture errno, int fd, MemorySegment buffer, long length) {
        try {
            return (long) WRITE.invokeExact(errno.state(), fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, pointer)}. */
    public static int ioctl(ErrnoCapture errno, int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL_POINTER.invokeExact(errno.state(), fd, request, argument);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, value)} for requests that take an integer. */
    public static int ioctl(ErrnoCapture errno, int fd, long request, long value) {
        try {
            return (int) IOCTL_LONG.invokeExact(errno.state(), fd, request, value);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code poll(fds, count, timeoutMillis)}: ready descriptors, 0 on timeout, -1 and errno. */
    public static int poll(ErrnoCapture errno, MemorySegment pollfds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(errno.state(), pollfds, count, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code ppoll(fds, count, timeout, NULL)}: as {@link #poll} with a {@code struct timespec}
     * timeout ({@code MemorySegment.NULL} for none: wait until ready), to the nanosecond.
     */
    public static int ppoll(ErrnoCapture errno, MemorySegment pollfds, long count, MemorySegment timespec) {
        try {
            return (int) PPOLL.invokeExact(errno.state(), pollfds, count, timespec, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code eventfd(initial, flags)}. */
    public static int eventfd(ErrnoCapture errno, int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(errno.state(), initial, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code socket(domain, type, protocol)}. */
    public static int socket(ErrnoCapture errno, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(errno.state(), domain, type, protocol);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code socketpair(domain, type, protocol, fds)}: two connected sockets written into
     * {@code fds} (two ints). A datagram or seqpacket pair keeps message boundaries as a TAP
     * keeps frame boundaries, so the tests run the receive and send paths over one.
     */
    public static int socketpair(ErrnoCapture errno, int domain, int type, int protocol, MemorySegment fds) {
        try {
            return (int) SOCKETPAIR.invokeExact(errno.state(), domain, type, protocol, fds);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code if_nametoindex(name)}: the interface's index in this namespace, 0 when absent. */
    public static int ifNameToIndex(ErrnoCapture errno, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(errno.state(), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The C library's text for {@code errno}, with the symbolic name: "EBUSY (Device or resource busy)". */
    public static String describe(int errno) {
        String text;
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            text = message.equals(MemorySegment.NULL) ? "" : message.reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "";
        }
        String name = Errno.name(errno);
        return text.isEmpty() ? name : name + " (" + text + ")";
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
