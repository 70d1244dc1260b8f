package org.tcpip4j.netif.tap.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded queue for exactly one producer thread and one consumer thread, without locks
 * and without allocation per element (Lamport's ring, with release/acquire ordering on the
 * two indices).
 *
 * <p>The receive path uses two: full frame buffers go from the reader thread to the event
 * loop, and empty ones come back.
 *
 * @param <E> the element type
 */
public final class SpscRing<E> {

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SpscRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(SpscRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** Next slot to read; written by the consumer only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next slot to write; written by the producer only. */
    @SuppressWarnings("unused")
    private volatile long tail;

    /** A ring holding at least {@code capacity} elements (rounded up to a power of two). */
    public SpscRing(int capacity) {
        if (capacity < 1 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("capacity out of 1..2^20: " + capacity);
        }
        int size = Integer.highestOneBit(capacity - 1) << 1;
        slots = new Object[Math.max(size, 1)];
        mask = slots.length - 1;
    }

    /** Adds {@code element}; false when the ring is full. Producer thread only. */
    public boolean offer(E element) {
        long t = (long) TAIL.getOpaque(this);
        long h = (long) HEAD.getAcquire(this);
        if (t - h >= slots.length) {
            return false;
        }
        slots[(int) (t & mask)] = element;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Removes the oldest element, or returns null when empty. Consumer thread only. */
    @SuppressWarnings("unchecked")
    public E poll() {
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getAcquire(this);
        if (h == t) {
            return null;
        }
        int index = (int) (h & mask);
        E element = (E) slots[index];
        slots[index] = null;
        HEAD.setRelease(this, h + 1);
        return element;
    }

    /** True when no element is queued; exact only on the consumer thread. */
    public boolean isEmpty() {
        return (long) HEAD.getAcquire(this) == (long) TAIL.getAcquire(this);
    }
}
