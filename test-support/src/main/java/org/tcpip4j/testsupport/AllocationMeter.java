package org.tcpip4j.testsupport;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from the JVM's per-thread allocation counter,
 * reached by reflection so that the modules under test need not read
 * {@code jdk.management}. A reading itself allocates a few dozen bytes (boxing); a
 * per-packet allocation over thousands of packets is orders of magnitude above that.
 */
public final class AllocationMeter {

    private static final Object BEAN;
    private static final Method ALLOCATED;
    private static final Method ALLOCATED_BY;

    static {
        Object bean = null;
        Method allocated = null;
        Method allocatedBy = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            allocated = type.getMethod("getCurrentThreadAllocatedBytes");
            allocatedBy = type.getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            bean = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
        ALLOCATED_BY = allocatedBy;
    }

    private AllocationMeter() {
    }

    /** The bytes the current thread allocated so far, or -1 when the JVM does not say. */
    public static long allocatedBytes() {
        if (BEAN == null) {
            return -1;
        }
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The bytes {@code thread} allocated so far, or -1 when the JVM does not say (a thread
     * that ended, or a virtual thread, which the JVM does not count). The reading is
     * allocated by the calling thread, not by {@code thread}.
     */
    public static long allocatedBytes(Thread thread) {
        if (BEAN == null) {
            return -1;
        }
        try {
            return (long) ALLOCATED_BY.invoke(BEAN, thread.threadId());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
