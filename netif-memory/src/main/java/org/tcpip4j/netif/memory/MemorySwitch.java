package org.tcpip4j.netif.memory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.TcpSegmentation;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A virtual learning Ethernet switch on an {@link EventLoop}, connecting any number of
 * {@link MemoryNetif ports} (Mirage's vnetif backend, with the switch's learning).
 *
 * <p>A frame written on a port is written once, by the writer itself, into a pooled buffer
 * of the switch, and queued. The switch delivers queued frames in order (FIFO for the
 * whole switch), as a task of the loop, never inside the {@code write} call, so a layer
 * that answers a frame from its handler cannot re-enter itself. It learns the source
 * address of every frame it forwards; a unicast frame to a learned address goes to that
 * port only (or nowhere, when the address was learned on the sending port), any other
 * frame (broadcast, multicast, unknown or aged-out destination) to every other port. A
 * port whose MTU is too small for a frame drops it and counts it.
 *
 * <p>Threading: the switch and its ports are used from the loop's thread only (creating
 * ports before the loop runs is fine); there are no locks. {@link MemoryNetif#disconnect()}
 * and the stats may be called from any thread.
 */
public final class MemorySwitch {

    private static final Logger LOG = LoggerFactory.getLogger(MemorySwitch.class);

    /** The MTU of a port made by {@link #port(MacAddress)}. */
    public static final int DEFAULT_MTU = 1500;
    /** How long a learned address is trusted without traffic from it (IEEE 802.1D's default). */
    public static final Duration DEFAULT_AGING_TIME = Duration.ofSeconds(300);
    /** How many addresses the table learns at most by default. */
    public static final int DEFAULT_TABLE_SIZE = 4096;

    /** The group bit of the first octet, in the 48-bit form of an address. */
    private static final long GROUP_BIT = 1L << 40;

    private final EventLoop loop;
    private final FrameBufferPool pool;
    /** Buffers for segments larger than any port's MTU, to ports that cut them (TSO); made on first use. */
    private FrameBufferPool largePool;
    /** Completes checksums and cuts large segments for ports that do not offload. */
    private final TcpSegmentation segmentation = new TcpSegmentation();
    private ByteBuffer segmentScratch;
    /** The frame being forwarded whose checksum was completed, so a flood completes it once. */
    private ByteBuffer completed;
    // Where the segments cut for a port go: set before each cut, so cutting allocates nothing.
    private MemoryNetif segmentTarget;
    private boolean segmentVouched;
    private final TcpSegmentation.SegmentSink segmentSink = (segment, n) -> segmentTarget.deliver(segment, n,
        segmentVouched);
    private final MacTable table;
    private final Runnable deliverTask = this::deliverQueued;

    /** Attached ports, copied on change so that flooding can iterate while a handler detaches one. */
    private MemoryNetif[] ports = new MemoryNetif[0];

    // The delivery queue: a ring of frames and the ports that sent them.
    private ByteBuffer[] queuedFrames = new ByteBuffer[64];
    private MemoryNetif[] queuedSenders = new MemoryNetif[64];
    private int queueHead;
    private int queueSize;
    private boolean deliveryScheduled;

    /** A switch on {@code loop} with the default ageing time and table size. */
    public MemorySwitch(EventLoop loop) {
        this(loop, DEFAULT_AGING_TIME, DEFAULT_TABLE_SIZE);
    }

    /**
     * A switch on {@code loop} that forgets an address after {@code agingTime} without a
     * frame from it and learns at most {@code tableSize} addresses.
     */
    public MemorySwitch(EventLoop loop, Duration agingTime, int tableSize) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.table = new MacTable(tableSize, agingTime.toNanos());
        this.pool = new FrameBufferPool(DEFAULT_MTU + Netif.ETHERNET_HEADER_SIZE);
    }

    /** The loop the switch delivers frames on. */
    public EventLoop loop() {
        return loop;
    }

    /** Attaches a new port with hardware address {@code mac} and an MTU of 1500. */
    public MemoryNetif port(MacAddress mac) {
        return port(mac, DEFAULT_MTU);
    }

    /** Attaches a new port with hardware address {@code mac} carrying payloads of up to {@code mtu} bytes. */
    public MemoryNetif port(MacAddress mac, int mtu) {
        return port(mac, mtu, NetifOffloads.NONE);
    }

    /**
     * Attaches a new port that offers {@code offloads} to the stack above it, as a virtual
     * device on one host does (Linux's veth): a frame between two ports that both offload
     * keeps its partial TCP checksum and its size and is vouched for on arrival, since
     * nothing between them can corrupt it; towards a port that does not, the switch
     * completes the checksum and cuts a large segment into wire segments
     * ({@link TcpSegmentation}), so such a port sees what a wire would carry.
     *
     * <p>A stack that corrupts frames on purpose (an impairment) must not sit on a port
     * that vouches for checksums: {@code ImpairedNetif} refuses to.
     */
    public MemoryNetif port(MacAddress mac, int mtu, NetifOffloads offloads) {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(offloads, "offloads");
        if (mtu < 1 || mtu > 65535 - Netif.ETHERNET_HEADER_SIZE) {
            throw new IllegalArgumentException("MTU out of range 1.." + (65535 - Netif.ETHERNET_HEADER_SIZE) + ": " + mtu);
        }
        MemoryNetif port = new MemoryNetif(this, mac, mtu, offloads);
        pool.ensureBufferSize(mtu + Netif.ETHERNET_HEADER_SIZE);
        MemoryNetif[] grown = Arrays.copyOf(ports, ports.length + 1);
        grown[ports.length] = port;
        ports = grown;
        LOG.debug("port {} (mtu {}) attached, {} ports", mac, mtu, ports.length);
        return port;
    }

    /** The number of attached ports. */
    public int portCount() {
        return ports.length;
    }

    /** The number of addresses in the forwarding table, aged out or not. */
    public int learnedAddresses() {
        return table.size();
    }

    /** Frames written and not yet delivered. */
    public int queuedFrames() {
        return queueSize;
    }

    // ---- used by MemoryNetif ----

    /** A buffer for a port to write a frame into. */
    ByteBuffer acquireBuffer(int size) {
        if (size > pool.bufferSize()) {
            return largePool().acquire();
        }
        return pool.acquire();
    }

    /**
     * The read-only twin of a buffer of the switch, which receivers get, or {@code b} itself
     * when it is not one of the pools' (a segment cut for a port).
     */
    ByteBuffer readOnlyView(ByteBuffer b) {
        ByteBuffer twin = b.capacity() > pool.bufferSize() ? largePool().readOnly(b) : pool.readOnly(b);
        return twin != null ? twin : b;
    }

    /** Takes back a buffer a port did not send. */
    void releaseBuffer(ByteBuffer b) {
        if (b.capacity() > pool.bufferSize()) {
            largePool().release(b);
            return;
        }
        pool.release(b);
    }

    /** Queues {@code frame} (position 0, limit at its end), written on {@code sender}, for delivery. */
    void enqueue(ByteBuffer frame, MemoryNetif sender) {
        if (queueSize == queuedFrames.length) {
            growQueue();
        }
        int tail = (queueHead + queueSize) & (queuedFrames.length - 1);
        queuedFrames[tail] = frame;
        queuedSenders[tail] = sender;
        queueSize++;
        if (!deliveryScheduled) {
            deliveryScheduled = true;
            loop.execute(deliverTask);
        }
    }

    /** Removes a disconnected port: it receives nothing more and its addresses are forgotten. */
    void detach(MemoryNetif port) {
        int i = Arrays.asList(ports).indexOf(port);
        if (i < 0) {
            return;
        }
        MemoryNetif[] shrunk = new MemoryNetif[ports.length - 1];
        System.arraycopy(ports, 0, shrunk, 0, i);
        System.arraycopy(ports, i + 1, shrunk, i, ports.length - i - 1);
        ports = shrunk;
        table.forget(port);
        LOG.debug("port {} detached, {} ports", port.mac(), ports.length);
    }

    private void growQueue() {
        int n = queuedFrames.length;
        ByteBuffer[] frames = new ByteBuffer[n * 2];
        MemoryNetif[] senders = new MemoryNetif[n * 2];
        for (int i = 0; i < queueSize; i++) {
            frames[i] = queuedFrames[(queueHead + i) & (n - 1)];
            senders[i] = queuedSenders[(queueHead + i) & (n - 1)];
        }
        queuedFrames = frames;
        queuedSenders = senders;
        queueHead = 0;
    }

    /**
     * Delivers the frames queued when the task started; frames written by handlers meanwhile
     * wait for the next task, so other work on the loop gets its turn.
     */
    private void deliverQueued() {
        deliveryScheduled = false;
        int n = queueSize;
        try {
            for (int i = 0; i < n; i++) {
                int mask = queuedFrames.length - 1;
                ByteBuffer frame = queuedFrames[queueHead];
                MemoryNetif sender = queuedSenders[queueHead];
                queuedFrames[queueHead] = null;
                queuedSenders[queueHead] = null;
                queueHead = (queueHead + 1) & mask;
                queueSize--;
                loop.newEvent(); // each frame is an event of its own: its time is read at its start
                try {
                    forward(frame, sender);
                } finally {
                    releaseBuffer(frame);
                }
            }
        } finally {
            // A handler that threw must not strand the frames behind it.
            if (queueSize > 0 && !deliveryScheduled) {
                deliveryScheduled = true;
                loop.execute(deliverTask);
            }
        }
    }

    private FrameBufferPool largePool() {
        if (largePool == null) {
            largePool = new FrameBufferPool(NetifOffloads.MAX_TSO_FRAME);
        }
        return largePool;
    }

    /**
     * Delivers {@code frame} from {@code sender} to {@code target}: as it is when the target
     * takes what the sender's offloads left (vouched when both offload), else with its TCP
     * checksum completed, and cut into wire segments when larger than the target's MTU.
     */
    private void deliverTo(MemoryNetif target, ByteBuffer frame, int length, MemoryNetif sender) {
        NetifOffloads from = sender.offloads();
        NetifOffloads to = target.offloads();
        boolean vouched = from.txTcpChecksum() && to.rxChecksum();
        int maxFrame = target.mtu() + Netif.ETHERNET_HEADER_SIZE;
        if (!from.txTcpChecksum() || (vouched && (length <= maxFrame || to.rxCoalesced()))) {
            target.deliver(frame, length, vouched);
            return;
        }
        frame.limit(length).position(0);
        if (!segmentation.parse(frame, 0, length)) {
            target.deliver(frame, length, vouched);
            return;
        }
        if (length <= maxFrame) {
            if (!vouched) {
                // Completing a partial checksum twice would spoil it: once, for every receiver.
                completeOnce(frame);
            }
            target.deliver(frame, length, vouched);
            return;
        }
        int mss = target.mtu() - segmentation.ipHeaderLength() - segmentation.tcpHeaderLength();
        if (mss <= 0) {
            target.deliver(frame, length, vouched); // too large for the port: dropped and counted there
            return;
        }
        if (segmentScratch == null || segmentScratch.capacity() < maxFrame) {
            segmentScratch = ByteBuffer.allocateDirect(Math.max(maxFrame, DEFAULT_MTU + Netif.ETHERNET_HEADER_SIZE));
        }
        segmentTarget = target;
        segmentVouched = vouched;
        try {
            segmentation.segment(frame, mss, segmentScratch, segmentSink);
        } finally {
            segmentTarget = null;
        }
    }

    private void completeOnce(ByteBuffer frame) {
        if (completed != frame) {
            segmentation.completeChecksum(frame);
            completed = frame;
        }
    }

    private void forward(ByteBuffer frame, MemoryNetif sender) {
        completed = null;
        int length = frame.limit();
        long now = loop.nanoTime();
        long destination = MacAddress.readBits(frame, 0);
        long source = MacAddress.readBits(frame, 6);
        if ((source & GROUP_BIT) == 0 && sender.isAttached()) {
            table.learn(source, sender, now);
        }
        if ((destination & GROUP_BIT) == 0) {
            MemoryNetif target = table.lookup(destination, now);
            if (target != null) {
                if (target != sender) {
                    deliverTo(target, frame, length, sender);
                }
                return; // a frame for the sender's own segment is filtered
            }
        }
        MemoryNetif[] snapshot = ports;
        for (MemoryNetif port : snapshot) {
            if (port != sender) {
                deliverTo(port, frame, length, sender);
            }
        }
    }
}
