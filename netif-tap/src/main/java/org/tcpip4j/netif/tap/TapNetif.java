package org.tcpip4j.netif.tap;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.TcpSegmentation;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.internal.DescriptorGuard;
import org.tcpip4j.netif.tap.internal.Errno;
import org.tcpip4j.netif.tap.internal.ErrnoCapture;
import org.tcpip4j.netif.tap.internal.FrameReceiver;
import org.tcpip4j.netif.tap.internal.Libc;
import org.tcpip4j.netif.tap.internal.LinuxAbi;
import org.tcpip4j.netif.tap.internal.VirtioNetHeader;

/**
 * A {@link Netif} on a Linux TAP device: the stack is a host on the other side of the TAP
 * interface, with its own MAC address, and exchanges whole Ethernet frames with the kernel.
 *
 * <p>Frames are read on a dedicated platform thread and delivered on the event loop; writes
 * happen on the event loop, straight from a buffer the device owns. On a
 * {@link RealTimeEventLoop} built with a {@link TapPoller} there is no reader thread: the
 * loop reads the device itself and delivers each frame as it reads it. {@link #disconnect()}
 * is idempotent, safe from any thread, wakes the reader at once, and releases the device:
 * a device this object created disappears unless it was made persistent.
 *
 * <pre>{@code
 * try (var loop = new RealTimeEventLoop()) {
 *     TapNetif tap = TapNetif.open(TapConfig.named("tap0"), loop);
 *     tap.listen(frame -> ...);
 *     ...
 *     tap.disconnect().join();
 * }
 * }</pre>
 *
 * <h2>Offloads</h2>
 *
 * <p>With {@link TapConfig#offloads()} (the default) the device is opened with a
 * {@code virtio_net_hdr} in front of every frame both ways ({@code IFF_VNET_HDR}, the legacy
 * 10-byte header), which is how the kernel and a TAP's user pass checksum and segmentation
 * work to each other, and {@link #offloads()} says what that gives the layers above:
 * <ul>
 *   <li>Sending: a TCP segment goes with NEEDS_CSUM, {@code csum_start} at its TCP header
 *       and {@code csum_offset} 16, so the kernel completes the checksum from the
 *       pseudo-header sum TCP left in it; one in a frame over {@code mtu + 14} bytes (up to
 *       {@link NetifOffloads#MAX_TSO_FRAME}) also goes as GSO TCPV4 or TCPV6 with
 *       {@code gso_size} the MTU minus the IP and TCP headers, and the kernel cuts it. The
 *       kernel takes such frames whatever receive offloads were negotiated. Anything else
 *       over {@code mtu + 14} bytes is refused with {@link NetifError.ExceedsMtu}.</li>
 *   <li>Receiving: the device asks ({@code TUNSETOFFLOAD}) for partial checksums
 *       ({@code TUN_F_CSUM}) and TCP segments larger than the MTU ({@code TUN_F_TSO4},
 *       {@code TUN_F_TSO6}, and {@code TUN_F_TSO_ECN} when the kernel takes it), falling back
 *       to fewer, or to plain frames, with one logged line saying what is off and why. It
 *       never asks for {@code TUN_F_UFO}, {@code TUN_F_USO4} or {@code TUN_F_USO6}: the
 *       kernel would then hand over UDP datagrams to be cut into several, and the UDP layer
 *       takes one datagram a frame. During the delivery of a frame whose header has
 *       NEEDS_CSUM or DATA_VALID, {@link #rxChecksumValid()} is true; a coalesced frame (GSO
 *       TCPV4 or TCPV6) is delivered whole, up to {@link NetifOffloads#MAX_TSO_FRAME} bytes.</li>
 * </ul>
 * What the offloads did is counted in {@link #offloadCounters()}.
 *
 * <p>The JVM must grant native access to this module:
 * {@code --enable-native-access=org.tcpip4j.netif.tap}.
 */
public final class TapNetif implements Netif {

    private static final Logger LOG = LoggerFactory.getLogger(TapNetif.class);
    /** Room for one 802.1Q tag in received frames, beyond the MTU and the Ethernet header. */
    private static final int VLAN_TAG_SIZE = 4;

    private final EventLoop loop;
    private final String interfaceName;
    private final boolean created;
    private final boolean persistent;
    private final MacAddress mac;
    private final int mtu;
    private final int maxFrameSize;
    /** The largest frame {@link #write} takes: {@code maxTsoFrame} with TSO, else {@link #maxFrameSize}. */
    private final int maxWriteSize;
    /** The size of the virtio_net_hdr in front of each frame; 0 for plain frames. */
    private final int vnetHeaderSize;
    private final NetifOffloads offloads;
    private final int tapFd;
    private final int wakeFd;
    private final DescriptorGuard guard;
    private final FrameReceiver receiver;
    /** The loop's poller when the loop reads the device itself; null when a reader thread does. */
    private final TapPoller poller;
    /** Loop only, with a poller: the poller watches the device. */
    private boolean watched;
    /** With a poller: the reader's use of the descriptors was given back (once, from the loop or after it ended). */
    private final AtomicBoolean readerStopped = new AtomicBoolean();
    private final NetifStats.Counters counters = new NetifStats.Counters();
    private final Counters offloadCounters = new Counters("tap");
    private final Counters.Counter rxCoalesced = offloadCounters.counter("rx.coalesced");
    private final Counters.Counter rxChecksumVouched = offloadCounters.counter("rx.csum_vouched");
    private final Counters.Counter rxOversize = offloadCounters.counter("rx.oversize");
    private final Counters.Counter rxUnsupportedGso = offloadCounters.counter("rx.unsupported_gso");
    private final Counters.Counter txChecksumOffloaded = offloadCounters.counter("tx.csum_offloaded");
    private final Counters.Counter txSegmentationOffloaded = offloadCounters.counter("tx.gso");
    /** True while a frame whose checksums the kernel vouches for is being delivered. Loop only. */
    private boolean rxChecksumValid;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final AtomicBoolean disconnectRequested = new AtomicBoolean();
    private volatile FrameHandler handler;

    // The write path: used on the event loop only. The buffer holds the header, then the
    // frame; the writer sees the frame alone.
    private final ByteBuffer txFrame;
    /** Finds the headers of each frame written, to fill in its virtio_net_hdr. */
    private final TcpSegmentation txHeaders = new TcpSegmentation();
    private final MemorySegment txSegment;
    private final ErrnoCapture txErrno = ErrnoCapture.allocate();

    private TapNetif(TapConfig config, EventLoop loop, TapDeviceSetup.AttachedTap tap, int wakeFd) {
        this.loop = loop;
        this.interfaceName = tap.interfaceName();
        this.created = tap.created();
        this.persistent = !tap.created() || config.persistent();
        this.mac = config.mac() != null ? config.mac() : MacAddress.randomLocal(new SecureRandom());
        this.mtu = tap.mtu();
        this.maxFrameSize = mtu + ETHERNET_HEADER_SIZE;
        this.vnetHeaderSize = tap.vnetHeaderSize();
        this.offloads = offloadsOf(tap);
        this.maxWriteSize = Math.max(maxFrameSize, offloads.tso4() || offloads.tso6() ? offloads.maxTsoFrame() : 0);
        this.tapFd = tap.fd();
        this.wakeFd = wakeFd;
        this.guard = new DescriptorGuard(this::releaseDescriptors);
        ByteBuffer txBuffer = ByteBuffer.allocateDirect(vnetHeaderSize + maxWriteSize);
        this.txSegment = MemorySegment.ofBuffer(txBuffer);
        this.txFrame = txBuffer.slice(vnetHeaderSize, maxWriteSize);
        int largestReceived = Math.max(maxFrameSize, offloads.rxCoalesced() ? offloads.maxTsoFrame() : 0);
        this.poller = loop instanceof RealTimeEventLoop r && r.poller() instanceof TapPoller p ? p : null;
        this.receiver = new FrameReceiver(interfaceName, tapFd, wakeFd, guard, loop, vnetHeaderSize,
                largestReceived + VLAN_TAG_SIZE, config.receiveQueueCapacity(), new FrameReceiver.Sink() {
                    @Override
                    public void deliver(ByteBuffer frame, int vnetFlags, int gsoType) {
                        deliverFrame(frame, vnetFlags, gsoType);
                    }

                    @Override
                    public void failed(String reason) {
                        LOG.warn("TAP {} stopped working ({}); disconnecting it", interfaceName, reason);
                        disconnect();
                    }
                }, poller != null);
    }

    /**
     * Starts reading: the reader thread, or, on a loop with a {@link TapPoller}, the
     * poller's watch of the device (registered on the loop).
     */
    private void startReceiving() {
        if (!receiver.start() || poller == null) {
            return;
        }
        try {
            loop.run(() -> {
                if (guard.isClosing()) {
                    stopReadingOnLoop();
                } else if (!readerStopped.get()) {
                    poller.register(tapFd, receiver::readReady, this::stopReading);
                    watched = true;
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop has ended: nothing will read the device, which is closed again.
            LOG.warn("TAP {}: its event loop no longer accepts work; disconnecting it", interfaceName);
            disconnect();
        }
    }

    /** With a poller, on the loop: the poller stops watching the device and the reader's use ends. */
    private void stopReadingOnLoop() {
        if (watched) {
            poller.unregister(tapFd);
            watched = false;
        }
        stopReading();
    }

    /** With a poller: the reader's use of the descriptors ends, once; on the loop or after it ended. */
    private void stopReading() {
        if (readerStopped.compareAndSet(false, true)) {
            receiver.stop();
        }
    }

    /**
     * Opens the TAP device {@code config} names, creating it if allowed, sets its MTU if one
     * is configured, brings it up, and starts reading frames for {@code loop}.
     *
     * @throws TapException.InvalidName the name cannot name an interface
     * @throws TapException.NoTunDevice there is no TUN/TAP driver (no {@code /dev/net/tun})
     * @throws TapException.PermissionDenied the process lacks CAP_NET_ADMIN or the device's ownership
     * @throws TapException.NoSuchDevice the device is missing and creating it was not allowed
     * @throws TapException.DeviceBusy another descriptor already has the device
     * @throws TapException.NotATapDevice an interface of that name exists and is not a TAP
     * @throws TapException.SystemCallFailed another system call failed
     */
    public static TapNetif open(TapConfig config, EventLoop loop) throws TapException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(loop, "loop");
        return openAttached(config, loop, TapDeviceSetup.attach(config));
    }

    /**
     * Opens the TAP device {@code config} names as a multi-queue device
     * ({@code IFF_MULTI_QUEUE}) with one queue per loop of {@code loops}, each queue a
     * {@code TapNetif} of its own, read by its own thread and delivering on its own loop,
     * all with the same MAC: what a {@code MultiQueueStack} runs on. The kernel steers each
     * flow to the queue that last wrote it (its automatic queue selection). A device that
     * exists must have been made multi-queue ({@code ip tuntap add dev NAME mode tap
     * multi_queue}); a device this creates goes away when the last queue is closed, unless
     * persistent.
     *
     * @throws IllegalArgumentException when {@code loops} is empty
     * @throws TapException as {@link #open(TapConfig, EventLoop)}; the queues opened before a
     *     failure are closed again
     */
    public static List<TapNetif> openQueues(TapConfig config, List<? extends EventLoop> loops) throws TapException {
        Objects.requireNonNull(config, "config");
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("a multi-queue device needs at least one queue");
        }
        List<TapNetif> queues = new ArrayList<>();
        try {
            TapConfig queueConfig = config;
            for (EventLoop loop : loops) {
                TapNetif q = openAttached(queueConfig, loop, TapDeviceSetup.attach(queueConfig, true));
                queues.add(q);
                // Every further queue joins the device the first one opened, with its MAC.
                queueConfig = queueConfig.toBuilder().interfaceName(q.interfaceName()).mac(q.mac()).build();
            }
            return queues;
        } catch (TapException | RuntimeException e) {
            for (TapNetif q : queues) {
                q.disconnect().join();
            }
            throw e;
        }
    }

    private static TapNetif openAttached(TapConfig config, EventLoop loop, TapDeviceSetup.AttachedTap tap)
            throws TapException {
        ErrnoCapture errno = ErrnoCapture.allocate();
        int wakeFd = Libc.eventfd(errno, 0, LinuxAbi.EFD_CLOEXEC | LinuxAbi.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int e = errno.errno();
            Libc.close(errno, tap.fd());
            throw new TapException.SystemCallFailed(tap.interfaceName(), e, "eventfd failed: " + Libc.describe(e));
        }
        TapNetif netif = new TapNetif(config, loop, tap, wakeFd);
        if (tap.offloadNote() != null) {
            LOG.warn("TAP {}: {}", netif.interfaceName, tap.offloadNote());
        }
        LOG.info("TAP {} open ({}, MTU {}), stack MAC {}, offloads {}", netif.interfaceName,
                tap.created() ? (config.persistent() ? "created, persistent" : "created") : "existing",
                netif.mtu, netif.mac, config.offloads() ? netif.offloads.describe() : "off (asked for none)");
        netif.startReceiving();
        return netif;
    }

    /**
     * What a device with this header and these receive offloads offers: with a header, the
     * kernel completes checksums and cuts TCP segments the stack writes, whatever it accepted
     * for the other direction.
     */
    private static NetifOffloads offloadsOf(TapDeviceSetup.AttachedTap tap) {
        if (tap.vnetHeaderSize() == 0) {
            return NetifOffloads.NONE;
        }
        int flags = tap.offloadFlags();
        return new NetifOffloads(true, true, true, (flags & LinuxAbi.TUN_F_CSUM) != 0,
                (flags & (LinuxAbi.TUN_F_TSO4 | LinuxAbi.TUN_F_TSO6)) != 0, NetifOffloads.MAX_TSO_FRAME);
    }

    /**
     * A device over an already open descriptor {@code fd} that is not a TAP: a datagram or
     * seqpacket socket (non-blocking) keeps frame boundaries as a TAP does, so the receive
     * and send paths run over one end of a socket pair without root. The configuration gives
     * the name, MAC, MTU (required), queue capacity and offloads; {@code fd} is closed on
     * disconnect. With offloads, every message carries a virtio_net_hdr and the device
     * behaves as on a kernel that accepted every receive offload asked for: the other end
     * plays the kernel.
     */
    static TapNetif overDescriptor(int fd, TapConfig config, EventLoop loop) {
        if (config.mtu() <= 0) {
            throw new IllegalArgumentException("a device over a descriptor needs a configured MTU");
        }
        ErrnoCapture errno = ErrnoCapture.allocate();
        int wakeFd = Libc.eventfd(errno, 0, LinuxAbi.EFD_CLOEXEC | LinuxAbi.EFD_NONBLOCK);
        if (wakeFd < 0) {
            throw new IllegalStateException("eventfd failed: " + Libc.describe(errno.errno()));
        }
        TapDeviceSetup.AttachedTap attached = config.offloads()
                ? new TapDeviceSetup.AttachedTap(fd, config.interfaceName(), config.mtu(), false,
                        VirtioNetHeader.SIZE, LinuxAbi.TUN_F_CSUM | LinuxAbi.TUN_F_TSO4 | LinuxAbi.TUN_F_TSO6
                                | LinuxAbi.TUN_F_TSO_ECN, null)
                : new TapDeviceSetup.AttachedTap(fd, config.interfaceName(), config.mtu(), false);
        TapNetif netif = new TapNetif(config, loop, attached, wakeFd);
        netif.startReceiving();
        return netif;
    }

    /** Opens (or creates) the TAP device {@code interfaceName} with the defaults of {@link TapConfig#named}. */
    public static TapNetif open(String interfaceName, EventLoop loop) throws TapException {
        return open(TapConfig.named(interfaceName), loop);
    }

    /** The interface's real name (the kernel's choice when the configured name was a pattern). */
    public String interfaceName() {
        return interfaceName;
    }

    /** True when opening created the device rather than attaching to an existing one. */
    public boolean created() {
        return created;
    }

    /** True when the device stays after {@link #disconnect()}: it existed before, or was created persistent. */
    public boolean persistent() {
        return persistent;
    }

    /** True until {@link #disconnect()} is called or the device stops working. */
    public boolean isOpen() {
        return !guard.isClosing();
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a {@code virtio_net_hdr} (see the class comment): TCP checksums and TSO over
     * IPv4 and IPv6 up to {@link NetifOffloads#MAX_TSO_FRAME}; vouched checksums when the
     * kernel accepted {@code TUN_F_CSUM}; coalesced frames when it accepted
     * {@code TUN_F_TSO4|TUN_F_TSO6}. Without one, {@link NetifOffloads#NONE}.
     */
    @Override
    public NetifOffloads offloads() {
        return offloads;
    }

    /**
     * {@inheritDoc}
     *
     * <p>True while a frame whose {@code virtio_net_hdr} has NEEDS_CSUM (the kernel leaves
     * the checksum to complete, the frame never left the host) or DATA_VALID (the kernel
     * verified it) is being delivered.
     */
    @Override
    public boolean rxChecksumValid() {
        return rxChecksumValid;
    }

    /**
     * What the offloads did, as the "tap" layer's counters: {@code rx.coalesced} frames the
     * kernel coalesced (GSO TCP, delivered whole), {@code rx.csum_vouched} frames delivered
     * with vouched checksums, {@code rx.oversize} frames over the MTU that were not
     * coalesced TCP segments and {@code rx.unsupported_gso} coalesced frames of another kind
     * (both dropped, and counted in the receive drops too), {@code tx.csum_offloaded} frames
     * sent for the kernel to complete the TCP checksum, {@code tx.gso} frames sent for it to
     * cut. All zero on a device with plain frames.
     */
    public Counters offloadCounters() {
        return offloadCounters;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The frame goes to the kernel before this returns. A frame the kernel refuses is an
     * error and counts as a transmit drop: EIO while the interface is down, or a frame
     * shorter than an Ethernet header.
     *
     * <p>With TSO ({@link #offloads()}), {@code size} may be up to
     * {@link NetifOffloads#MAX_TSO_FRAME}, and the frame written over {@code mtu() + 14}
     * bytes must be a TCP segment the kernel can cut, else it is refused with
     * {@link NetifError.ExceedsMtu} and nothing is sent. The header goes in front of the
     * frame in the same buffer, and one {@code write(2)} sends both.
     *
     * @throws IllegalStateException when called off the event loop, or when {@code writer}
     *     reports a length outside {@code 0..size}
     */
    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("TapNetif.write must be called on the device's event loop");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative frame size: " + size);
        }
        if (!guard.acquire()) {
            counters.sendDropped();
            return Result.err(NetifError.DISCONNECTED);
        }
        try {
            if (size > maxWriteSize) {
                counters.sendDropped();
                return Result.err(new NetifError.ExceedsMtu(size, maxWriteSize));
            }
            txFrame.limit(size).position(0);
            int length = writer.write(txFrame, 0, size);
            if (length < 0 || length > size) {
                counters.sendDropped();
                throw new IllegalStateException("writer returned " + length + " for a frame of at most " + size);
            }
            if (vnetHeaderSize != 0) {
                switch (VirtioNetHeader.prepareTransmit(txSegment, txFrame, length, mtu, offloads.tso4(),
                        offloads.tso6(), txHeaders)) {
                    case VirtioNetHeader.CHECKSUM -> txChecksumOffloaded.increment();
                    case VirtioNetHeader.SEGMENTATION -> {
                        txChecksumOffloaded.increment();
                        txSegmentationOffloaded.increment();
                    }
                    case VirtioNetHeader.REFUSED -> {
                        counters.sendDropped();
                        return Result.err(new NetifError.ExceedsMtu(length, maxFrameSize));
                    }
                    default -> {
                    }
                }
            }
            long total = vnetHeaderSize + length;
            long written = Libc.write(txErrno, tapFd, txSegment, total);
            if (written == total) {
                counters.sent(length);
                return Result.ok();
            }
            counters.sendDropped();
            if (written >= 0) {
                return Result.err(new NetifError.DeviceError("short write of " + written + " of " + total + " bytes"));
            }
            int e = txErrno.errno();
            return Result.err(switch (e) {
                case Errno.EBADFD, Errno.EBADF -> NetifError.DISCONNECTED;
                case Errno.EIO -> new NetifError.DeviceError(interfaceName + " is down (EIO)");
                default -> new NetifError.DeviceError(Libc.describe(e));
            });
        } finally {
            guard.release();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Frames that arrive while no handler is set are dropped and counted. The future
     * completes on the thread that releases the device (see {@link #disconnect()}).
     */
    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return released.copy();
    }

    /**
     * On the loop: one received frame to the handler, with {@link #rxChecksumValid()} saying
     * what its header said of its checksums for the length of the call.
     */
    private void deliverFrame(ByteBuffer frame, int vnetFlags, int gsoType) {
        FrameHandler h = handler;
        if (h == null || guard.isClosing()) {
            counters.receiveDropped();
            return;
        }
        boolean coalesced = gsoType != VirtioNetHeader.GSO_NONE;
        if (coalesced && !VirtioNetHeader.isTcpGso(gsoType)) {
            rxUnsupportedGso.increment();
            counters.receiveDropped();
            return;
        }
        if (frame.remaining() > maxFrameSize + VLAN_TAG_SIZE && !(coalesced && offloads.rxCoalesced())) {
            rxOversize.increment();
            counters.receiveDropped();
            return;
        }
        boolean vouched = VirtioNetHeader.checksumVouched(vnetFlags);
        if (coalesced) {
            rxCoalesced.increment();
        }
        if (vouched) {
            rxChecksumVouched.increment();
        }
        counters.received(frame.remaining());
        boolean outer = rxChecksumValid;
        rxChecksumValid = vouched;
        try {
            h.frame(frame);
        } catch (RuntimeException e) {
            LOG.warn("frame handler of TAP {} failed", interfaceName, e);
        } finally {
            rxChecksumValid = outer;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The receive drops include frames the reader had to discard because the event loop
     * was behind (the hand-off queue was full) or because they exceeded the MTU.
     */
    @Override
    public NetifStats stats() {
        NetifStats s = counters.snapshot();
        return new NetifStats(s.rxBytes(), s.rxPackets(), s.rxDrops() + receiver.drops(), s.txBytes(),
                s.txPackets(), s.txDrops());
    }

    @Override
    public void resetStats() {
        counters.reset();
        offloadCounters.reset();
        receiver.resetDrops();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Safe from any thread, the event loop included; never blocks. The descriptors are
     * closed as soon as no write and no read is in progress, normally within microseconds:
     * the reader is woken through an eventfd. The returned future completes on the thread
     * that closed them (the reader thread, or the loop after a write).
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        if (disconnectRequested.compareAndSet(false, true)) {
            // Hold a use while signalling, so the wake-up descriptor cannot be closed (and its
            // number reused) between marking the device closed and writing to it.
            boolean inUse = guard.acquire();
            guard.close();
            if (inUse) {
                try {
                    FrameReceiver.wake(wakeFd);
                } finally {
                    guard.release();
                }
            }
            if (poller != null) {
                // The reader's use ends on the loop, or, should the loop end first (its queued
                // tasks dropped), once its thread no longer reads.
                poller.releaseWhenClosed(this::stopReading);
                try {
                    loop.execute(this::stopReadingOnLoop);
                } catch (RejectedExecutionException e) {
                    // Ended or ending: the release above runs when it has.
                }
            }
        }
        return released.copy();
    }

    /** Runs once, when the device is closed and nothing uses its descriptors any more. */
    private void releaseDescriptors() {
        try {
            ErrnoCapture errno = ErrnoCapture.allocate();
            // The last descriptor of a non-persistent TAP going away deletes the interface.
            Libc.close(errno, tapFd);
            Libc.close(errno, wakeFd);
            LOG.info("TAP {} closed{}", interfaceName, persistent ? "" : " and deleted");
        } finally {
            released.complete(null);
        }
    }

    @Override
    public String toString() {
        return "TapNetif[" + interfaceName + ", mac " + mac + ", mtu " + mtu + (isOpen() ? "" : ", closed") + "]";
    }
}
