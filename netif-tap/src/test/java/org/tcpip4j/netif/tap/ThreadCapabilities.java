package org.tcpip4j.netif.tap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs code on a fresh platform thread without CAP_NET_ADMIN, to see what an unprivileged
 * caller gets. Linux capabilities belong to a thread, and the raw {@code capset} call
 * changes only the calling thread's, so the rest of the JVM keeps root's rights.
 */
@SuppressWarnings("restricted")
final class ThreadCapabilities {

    private static final int CAP_NET_ADMIN = 12;
    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;
    private static final MethodHandle CAPGET;
    private static final MethodHandle CAPSET;

    static {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        CAPGET = linker.downcallHandle(linker.defaultLookup().find("capget").orElseThrow(), descriptor);
        CAPSET = linker.downcallHandle(linker.defaultLookup().find("capset").orElseThrow(), descriptor);
    }

    private ThreadCapabilities() {
    }

    /** Runs {@code action} on a new thread whose effective capabilities lack CAP_NET_ADMIN. */
    static <T> T withoutNetAdmin(Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("without-cap-net-admin").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                // struct __user_cap_header_struct { u32 version; int pid; }, pid 0: this thread
                MemorySegment header = arena.allocate(8, 4);
                header.set(JAVA_INT, 0, VERSION_3);
                header.set(JAVA_INT, 4, 0);
                // two struct __user_cap_data_struct { u32 effective, permitted, inheritable; }
                MemorySegment data = arena.allocate(24, 4);
                if ((int) CAPGET.invokeExact(header, data) != 0) {
                    throw new IllegalStateException("capget failed");
                }
                int effective = data.get(JAVA_INT, 0);
                data.set(JAVA_INT, 0, effective & ~(1 << CAP_NET_ADMIN));
                if ((int) CAPSET.invokeExact(header, data) != 0) {
                    throw new IllegalStateException("capset failed");
                }
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        thread.join();
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
