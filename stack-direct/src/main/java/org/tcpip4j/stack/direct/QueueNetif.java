package org.tcpip4j.stack.direct;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.Netif;

/**
 * One queue of a multi-queue device under a {@link MultiQueueStack}: frames the device
 * delivers on this queue go to this queue's stack when it owns them, and are handed to
 * the owner's loop (copied) when another queue does, so that each connection lives on one
 * loop whichever queue the device steers its frames to.
 *
 * <p>Who owns what: a TCP segment to a port the stack listens on belongs to the queue a
 * hash of the remote port and address names ({@link #ownerOfRemote}), one to any other
 * port to the queue of the local port ({@code local % queues}), whose share of the
 * ephemeral ports it is
 * ({@link org.tcpip4j.tcp.TcpConfig#withPortShare}); a UDP datagram to a listened port
 * stays where it arrived, others go to queue 0, which sends all UDP; ARP, Neighbor
 * Discovery, MLD and ICMP errors go to every queue, each of which keeps its own neighbour
 * caches and connections; everything else (echo, fragments) stays where it arrived.
 * Linux's TAP steers a flow to the queue that last wrote it, so after the first exchange
 * a connection's frames arrive on their owner's queue and nothing is copied.
 */
final class QueueNetif extends ForwardingNetif {

    /** What the queues of one device share: the queues and the ports listened on. */
    static final class Steering {
        final QueueNetif[] queues;
        final AtomicIntegerArray tcpListening = new AtomicIntegerArray(65_536);
        final AtomicIntegerArray udpListening = new AtomicIntegerArray(65_536);

        Steering(int count) {
            this.queues = new QueueNetif[count];
        }
    }

    private static final int EVERY_QUEUE = -2;
    private static final int HERE = -1;

    private final int index;
    private final Steering steering;
    private final AtomicLong handedOff = new AtomicLong();
    private final AtomicLong takenOver = new AtomicLong();
    private volatile FrameHandler handler;
    /** While a frame handed over from another queue is delivered: whether its device vouched for it. */
    private boolean deliveringHandedOff;
    private boolean handedOffVouched;

    QueueNetif(Netif inner, int index, Steering steering) {
        super(inner);
        this.index = index;
        this.steering = steering;
        steering.queues[index] = this;
    }

    /** Frames this queue received and handed to another. */
    long handedOff() {
        return handedOff.get();
    }

    /** Frames another queue received and handed to this one. */
    long takenOver() {
        return takenOver.get();
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler h) {
        this.handler = h;
        return inner.listen(this::steer);
    }

    @Override
    public boolean rxChecksumValid() {
        return deliveringHandedOff ? handedOffVouched : inner.rxChecksumValid();
    }

    private void steer(ByteBuffer frame) {
        int owner = owner(frame, frame.position(), frame.remaining());
        if (owner == HERE || owner == index) {
            handler.frame(frame);
            return;
        }
        boolean vouched = inner.rxChecksumValid();
        byte[] copy = new byte[frame.remaining()];
        frame.get(frame.position(), copy);
        if (owner == EVERY_QUEUE) {
            for (QueueNetif q : steering.queues) {
                if (q != this) {
                    q.handOver(copy, vouched);
                }
            }
            handler.frame(frame);
        } else {
            steering.queues[owner].handOver(copy, vouched);
        }
        handedOff.incrementAndGet();
    }

    private void handOver(byte[] frame, boolean vouched) {
        try {
            loop().execute(() -> deliverHandedOff(frame, vouched));
        } catch (RejectedExecutionException e) {
            // The queue's loop has stopped: the stack is going away.
        }
    }

    private void deliverHandedOff(byte[] frame, boolean vouched) {
        FrameHandler h = handler;
        if (h == null) {
            return;
        }
        takenOver.incrementAndGet();
        deliveringHandedOff = true;
        handedOffVouched = vouched;
        try {
            h.frame(ByteBuffer.wrap(frame));
        } finally {
            deliveringHandedOff = false;
        }
    }

    /** The queue that owns connections accepted from {@code remotePort} of the address ending in {@code remoteWord}. */
    static int ownerOfRemote(int remoteWord, int remotePort, int queues) {
        int h = (remoteWord ^ (remotePort * 0x9e37_79b1)) * 0x85eb_ca6b;
        return Math.floorMod(h ^ (h >>> 16), queues);
    }

    /** The queue that owns the frame at {@code f[at..at+length)}, {@link #HERE} or {@link #EVERY_QUEUE}. */
    int owner(ByteBuffer f, int at, int length) {
        int n = steering.queues.length;
        if (length < ETHERNET_HEADER_SIZE) {
            return HERE;
        }
        int type = f.getShort(at + 12) & 0xffff;
        int l3 = at + ETHERNET_HEADER_SIZE;
        int end = at + length;
        int protocol;
        int l4;
        if (type == 0x0806) {
            return EVERY_QUEUE;
        } else if (type == 0x0800 && end >= l3 + 20) {
            if ((f.getShort(l3 + 6) & 0x3fff) != 0) {
                return HERE; // a fragment: reassembled where it arrives
            }
            protocol = f.get(l3 + 9) & 0xff;
            l4 = l3 + (f.get(l3) & 0x0f) * 4;
            if (protocol == 1) {
                int icmpType = l4 < end ? f.get(l4) & 0xff : -1;
                return icmpType == 3 || icmpType == 11 || icmpType == 12 ? EVERY_QUEUE : HERE;
            }
        } else if (type == 0x86dd && end >= l3 + 40) {
            protocol = f.get(l3 + 6) & 0xff;
            l4 = l3 + 40;
            if (protocol == 58) {
                int icmpType = l4 < end ? f.get(l4) & 0xff : -1;
                // Errors (1-4), MLD (130-132, 143) and Neighbor Discovery (133-137).
                boolean shared = (icmpType >= 1 && icmpType <= 4) || (icmpType >= 130 && icmpType <= 137)
                    || icmpType == 143;
                return shared ? EVERY_QUEUE : HERE;
            }
        } else {
            return HERE;
        }
        if (l4 + 4 > end) {
            return HERE;
        }
        int remotePort = f.getShort(l4) & 0xffff;
        int localPort = f.getShort(l4 + 2) & 0xffff;
        if (protocol == 6) {
            if (steering.tcpListening.get(localPort) == 0) {
                return localPort % n;
            }
            // The remote end's port and the low word of its address, mixed: Linux's
            // connect() takes even ports only, so the port alone would not spread.
            int remoteWord = type == 0x0800 ? f.getInt(l3 + 12) : f.getInt(l3 + 20);
            return ownerOfRemote(remoteWord, remotePort, n);
        }
        if (protocol == 17) {
            return steering.udpListening.get(localPort) > 0 ? HERE : 0;
        }
        return HERE;
    }
}
