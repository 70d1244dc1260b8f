package org.tcpip4j.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A blocking InputStream over a {@link TcpFlow}, for code on its own thread. On the
 * flow's event loop, where the read it waits for could never complete, every read fails
 * at once.
 *
 * <p>Its first read starts a {@link TcpFlow#receive reception} whose receiver, on the
 * event loop, copies what arrives into a ring of the stream's own ({@value #RING} bytes)
 * and wakes the reading thread ({@link LockSupport}); reads take from the ring. Neither
 * side allocates, and the reading thread never has to hand a task to the loop, as long as
 * the ring has room. When it is full the receiver leaves the rest in the flow's receive
 * buffer, which pauses the reception (the window offered closes as that buffer fills);
 * the reader resumes it once it has emptied half the ring.
 *
 * <p>Single producer (the loop), single consumer (the reading thread): the loop publishes
 * {@link #head} after the bytes, the reader {@link #tail} after taking them, both
 * volatile. Each side writes its flag before reading the other's counter ({@link #stalled}
 * against {@code tail}, {@link #waiter} against {@code head}), so that a wakeup is never
 * lost.
 */
final class FlowInputStream extends InputStream implements FlowReceiver {

    /** Bytes of the ring. */
    static final int RING = 64 * 1024;
    private static final int MASK = RING - 1;
    private static final VarHandle STALLED;

    static {
        try {
            STALLED = MethodHandles.lookup().findVarHandle(FlowInputStream.class, "stalled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TcpFlow flow;
    /** Made by the first read. */
    private byte[] ring;
    private FlowReception reception;
    /** Bytes the loop put in the ring so far. */
    private volatile long head;
    /** Bytes the reader took from the ring so far. */
    private volatile long tail;
    /** The loop left bytes in the flow for want of room: the reception pauses until resumed. */
    private volatile boolean stalled;
    /** The reader, while it parks for bytes. */
    private volatile Thread waiter;
    /** Set once, after the last byte was put in the ring: the end of the stream. */
    private volatile boolean ended;
    /** Set once, after the last byte was put in the ring: why the stream broke. */
    private volatile TcpException failure;

    FlowInputStream(TcpFlow flow) {
        this.flow = flow;
    }

    // ---- the receiver, on the event loop ----------------------------------------------------

    @Override
    public void data(ByteBuffer view) {
        byte[] r = ring;
        long h = head;
        while (view.hasRemaining()) {
            int room = RING - (int) (h - tail);
            if (room == 0) {
                stalled = true;
                room = RING - (int) (h - tail);
                if (room == 0) {
                    break; // the rest stays in the flow; the reader resumes the reception
                }
                stalled = false;
            }
            int at = (int) h & MASK;
            int n = Math.min(Math.min(view.remaining(), room), RING - at);
            view.get(r, at, n);
            h += n;
        }
        head = h;
        wake();
    }

    @Override
    public void end() {
        ended = true;
        wake();
    }

    @Override
    public void failed(TcpException cause) {
        failure = cause;
        wake();
    }

    private void wake() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    // ---- the reader's side ------------------------------------------------------------------

    /**
     * Waits until the ring holds bytes or the stream is over.
     *
     * @return the bytes in the ring, 0 at the end of the stream
     */
    private int fill() throws IOException {
        if (flow.inEventLoop()) {
            throw new IllegalStateException("a blocking read on the event loop would wait forever for the loop"
                + " itself: use TcpFlow.read() there");
        }
        if (ring == null) {
            ring = new byte[RING]; // before the receiver's first call, which may come before receive returns
            try {
                reception = flow.receive(this);
            } catch (RuntimeException e) {
                ring = null;
                throw e;
            }
        }
        int available;
        while ((available = (int) (head - tail)) == 0) {
            TcpException why = failure;
            if (why != null || ended) {
                if (head != tail) {
                    continue; // the last bytes came before the end: they go first
                }
                if (why != null) {
                    throw new IOException(why.getMessage(), why);
                }
                return 0;
            }
            waiter = Thread.currentThread();
            if (head == tail && !ended && failure == null) {
                LockSupport.park(this);
            }
            waiter = null;
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read interrupted");
            }
        }
        return available;
    }

    /** Gives {@code n} bytes of the ring back; resumes the reception when it stalled and half the ring is free. */
    private void took(int n) {
        long t = tail + n;
        tail = t;
        if (stalled && RING - (head - t) >= RING / 2 && STALLED.compareAndSet(this, true, false)) {
            reception.resume();
        }
    }

    @Override
    public int read() throws IOException {
        if (fill() == 0) {
            return -1;
        }
        int b = ring[(int) tail & MASK] & 0xff;
        took(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int available = fill();
        if (available == 0) {
            return -1;
        }
        int at = (int) tail & MASK;
        int n = Math.min(Math.min(len, available), RING - at);
        System.arraycopy(ring, at, b, off, n);
        if (n < len && n < available) {
            // the bytes wrap around the ring's end
            int more = Math.min(len - n, available - n);
            System.arraycopy(ring, 0, b, off + n, more);
            n += more;
        }
        took(n);
        return n;
    }

    @Override
    public int available() {
        return (int) (head - tail);
    }
}
