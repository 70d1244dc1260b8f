package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A {@link Netif} that degrades the link of another one: frames received from the inner
 * device pass through the receive {@link Impairment} before they reach the listener, and
 * frames written pass through the send one before they reach the device. The two
 * directions have their own state and counters and share the seeded {@link RandomGenerator},
 * so on a {@link org.tcpip4j.netif.loop.VirtualTimeEventLoop} the same seed and
 * configuration give the same frames, in the same order, at the same virtual times.
 *
 * <p>Frames that are kept past the call that brought them (delayed, queued, held back,
 * duplicated, corrupted, extended) are copied into pooled buffers; a direction whose
 * impairment is {@link Impairment#NONE} passes frames through without a copy. On the send
 * side a frame is first written into a pooled buffer, then copied into the device's when it
 * leaves. A write dropped by an impairment still returns {@link Result#ok()}, as a frame
 * lost on the wire does; every drop is counted in {@link #stats()} ({@code rxDrops},
 * {@code txDrops}) and, by reason, in {@link #receiveStats()} and {@link #sendStats()}.
 *
 * <p>Loop only, as every netif, but for {@link #mac()}, {@link #mtu()}, the stats and
 * {@link #disconnect()}.
 */
public final class ImpairedNetif extends ForwardingNetif {

    private final Impairment receive;
    private final Impairment send;
    /** Directions without impairments pass frames straight through, uncopied. */
    private final boolean receivePassesThrough;
    private final boolean sendPassesThrough;
    private final NetifStats.Counters counters = new NetifStats.Counters();
    private final FramePool pool;
    private final ImpairmentPipeline receivePipeline;
    private final ImpairmentPipeline sendPipeline;
    private final FrameHandler fromDevice = this::receivedFromDevice;
    private final PacketWriter copyOut = this::copyOutgoing;
    private final PacketWriter countingWriter = this::writeCounted;
    private FrameHandler handler;
    private ByteBuffer outgoing;
    private PacketWriter passThroughWriter;
    private int passThroughLength;
    private boolean closed;

    /**
     * Wraps {@code inner}, impairing received frames as {@code receive} says and written ones
     * as {@code send} says, with all randomness from {@code random}.
     */
    public ImpairedNetif(Netif inner, Impairment receive, Impairment send, RandomGenerator random) {
        super(inner);
        this.receive = Objects.requireNonNull(receive, "receive");
        this.send = Objects.requireNonNull(send, "send");
        Objects.requireNonNull(random, "random");
        this.receivePassesThrough = receive.isNone();
        this.sendPassesThrough = send.isNone();
        refuseOffloads(inner.offloads(), receive, send);
        int maxFrame = inner.mtu() + ETHERNET_HEADER_SIZE;
        this.pool = new FramePool(maxFrame + Math.max(receive.trailerLength(), send.trailerLength()));
        EventLoop loop = inner.loop();
        this.receivePipeline = new ImpairmentPipeline(loop, receive, random, pool, this::deliver,
                counters::receiveDropped, Integer.MAX_VALUE);
        this.sendPipeline = new ImpairmentPipeline(loop, send, random, pool, this::sendToDevice,
                counters::sendDropped, maxFrame);
    }

    /**
     * Impairments act on wire frames, and a corrupted frame must be caught by its checksum:
     * a device that cuts or coalesces segments ({@link NetifOffloads}) cannot be impaired,
     * nor corrupted under one that vouches for checksums.
     */
    private static void refuseOffloads(NetifOffloads offloads, Impairment receive, Impairment send) {
        if (receive.isNone() && send.isNone()) {
            return;
        }
        if (offloads.tso4() || offloads.tso6() || offloads.rxCoalesced()) {
            throw new IllegalArgumentException("impairments act on wire-sized frames; the device cuts or coalesces"
                + " TCP segments (offloads: " + offloads.describe() + "): open it without segmentation offloads");
        }
        boolean corrupts = receive.corruptProbability() > 0 || send.corruptProbability() > 0;
        if (corrupts && (offloads.txTcpChecksum() || offloads.rxChecksum())) {
            throw new IllegalArgumentException("corruption would pass unseen on a device that vouches for checksums"
                + " (offloads: " + offloads.describe() + "): open it without checksum offloads");
        }
    }

    /** Impairs only the frames {@code inner} receives. */
    public static ImpairedNetif onReceive(Netif inner, Impairment receive, RandomGenerator random) {
        return new ImpairedNetif(inner, receive, Impairment.NONE, random);
    }

    /** Impairs only the frames written to {@code inner}. */
    public static ImpairedNetif onSend(Netif inner, Impairment send, RandomGenerator random) {
        return new ImpairedNetif(inner, Impairment.NONE, send, random);
    }

    /** Impairs both directions alike (each with its own state: queues, delays, loss bursts). */
    public static ImpairedNetif onBoth(Netif inner, Impairment both, RandomGenerator random) {
        return new ImpairedNetif(inner, both, both, random);
    }

    /** The impairment applied to received frames. */
    public Impairment receiveImpairment() {
        return receive;
    }

    /** The impairment applied to written frames. */
    public Impairment sendImpairment() {
        return send;
    }

    /** What the receive impairments did so far. Safe from any thread. */
    public ImpairmentStats receiveStats() {
        return receivePipeline.stats();
    }

    /** What the send impairments did so far. Safe from any thread. */
    public ImpairmentStats sendStats() {
        return sendPipeline.stats();
    }

    /**
     * Writes one frame through the send impairments.
     *
     * @return {@link Result#ok()} once the frame is taken (even when an impairment then drops
     *     it); {@link NetifError.Disconnected} after {@link #disconnect()};
     *     {@link NetifError.ExceedsMtu} when {@code size} is over {@code mtu() + 14}; without
     *     send impairments, whatever the inner device returns
     * @throws IllegalStateException when the writer reports a length outside 0..size
     */
    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        if (closed) {
            counters.sendDropped();
            return Result.err(NetifError.DISCONNECTED);
        }
        int maxFrame = inner.mtu() + ETHERNET_HEADER_SIZE;
        if (size > maxFrame) {
            counters.sendDropped();
            return Result.err(new NetifError.ExceedsMtu(size, maxFrame));
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative frame size: " + size);
        }
        if (sendPassesThrough) {
            return writeThrough(size, writer);
        }
        ByteBuffer staging = pool.acquire(size);
        int length;
        try {
            length = writer.write(staging, 0, size);
        } catch (RuntimeException e) {
            pool.release(staging);
            throw e;
        }
        if (length < 0 || length > size) {
            pool.release(staging);
            throw new IllegalStateException("writer returned " + length + " for a frame of at most " + size + " bytes");
        }
        sendPipeline.offer(staging.limit(length).position(0), true);
        return Result.ok();
    }

    /** Without send impairments the writer fills the device's buffer directly. */
    private Result<NetifError> writeThrough(int size, PacketWriter writer) {
        PacketWriter previous = passThroughWriter;
        passThroughWriter = writer;
        passThroughLength = 0;
        try {
            Result<NetifError> r = inner.write(size, countingWriter);
            if (r.isOk()) {
                counters.sent(passThroughLength);
            } else {
                counters.sendDropped();
            }
            return r;
        } finally {
            passThroughWriter = previous;
        }
    }

    private int writeCounted(ByteBuffer buffer, int offset, int maxLength) {
        passThroughLength = passThroughWriter.write(buffer, offset, maxLength);
        return passThroughLength;
    }

    /** Writes a frame that came out of the send impairments to the device. */
    private void sendToDevice(ByteBuffer frame) {
        int length = frame.remaining();
        outgoing = frame;
        Result<NetifError> r;
        try {
            r = inner.write(length, copyOut);
        } finally {
            outgoing = null;
        }
        if (r.isOk()) {
            counters.sent(length);
        } else {
            counters.sendDropped();
        }
    }

    private int copyOutgoing(ByteBuffer buffer, int offset, int maxLength) {
        int length = Math.min(outgoing.remaining(), maxLength);
        buffer.put(offset, outgoing, outgoing.position(), length);
        return length;
    }

    /**
     * Delivers every received frame that survives the receive impairments to
     * {@code handler}, replacing the handler set before.
     *
     * @return a future that completes when the inner device is disconnected
     */
    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return inner.listen(fromDevice);
    }

    private void receivedFromDevice(ByteBuffer frame) {
        if (closed) {
            return;
        }
        if (receivePassesThrough) {
            deliver(frame);
        } else {
            receivePipeline.offer(frame, false);
        }
    }

    private void deliver(ByteBuffer frame) {
        FrameHandler h = handler;
        if (h == null) {
            counters.receiveDropped();
            return;
        }
        counters.received(frame.remaining());
        h.frame(frame);
    }

    /** Counters of what this netif delivered and sent, impairment drops included. Safe from any thread. */
    @Override
    public NetifStats stats() {
        return counters.snapshot();
    }

    /** Sets this netif's counters and both directions' impairment counters to zero. */
    @Override
    public void resetStats() {
        counters.reset();
        receivePipeline.resetStats();
        sendPipeline.resetStats();
    }

    /**
     * Drops every frame still delayed, queued or held, then disconnects the inner device.
     * Idempotent.
     *
     * @return a future that completes when the inner device's disconnect does
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        return inner.loop().call(() -> {
            if (!closed) {
                closed = true;
                receivePipeline.close();
                sendPipeline.close();
            }
            return inner.disconnect();
        });
    }

    @Override
    public String toString() {
        return "ImpairedNetif[" + inner + "]";
    }
}
