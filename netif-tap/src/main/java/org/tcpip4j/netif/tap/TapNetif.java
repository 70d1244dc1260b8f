package org.tcpip4j.netif.tap;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.tap.internal.DescriptorGuard;
import org.tcpip4j.netif.tap.internal.Errno;
import org.tcpip4j.netif.tap.internal.ErrnoCapture;
import org.tcpip4j.netif.tap.internal.FrameReceiver;
import org.tcpip4j.netif.tap.internal.LinuxAbi;
import org.tcpip4j.netif.tap.internal.Libc;

/**
 * A {@link Netif} on a Linux TAP device: the stack is a host on the other side of the TAP
 * interface, with its own MAC address, and exchanges whole Ethernet frames with the kernel.
 *
 * <p>Frames are read on a dedicated platform thread and delivered on the event loop; writes
 * happen on the event loop, straight from a buffer the device owns. {@link #disconnect()}
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
    private final int tapFd;
    private final int wakeFd;
    private final DescriptorGuard guard;
    private final FrameReceiver receiver;
    private final NetifStats.Counters counters = new NetifStats.Counters();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final AtomicBoolean disconnectRequested = new AtomicBoolean();
    private volatile FrameHandler handler;

    // The write path: used on the event loop only.
    private final ByteBuffer txBuffer;
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
        this.tapFd = tap.fd();
        this.wakeFd = wakeFd;
        this.guard = new DescriptorGuard(this::releaseDescriptors);
        this.txBuffer = ByteBuffer.allocateDirect(maxFrameSize);
        this.txSegment = MemorySegment.ofBuffer(txBuffer);
        this.receiver = new FrameReceiver(interfaceName, tapFd, wakeFd, guard, loop,
                maxFrameSize + VLAN_TAG_SIZE, config.receiveQueueCapacity(), new FrameReceiver.Sink() {
                    @Override
                    public void deliver(ByteBuffer frame) {
                        deliverFrame(frame);
                    }

                    @Override
                    public void failed(String reason) {
                        LOG.warn("TAP {} stopped working ({}); disconnecting it", interfaceName, reason);
                        disconnect();
                    }
                });
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
        TapDeviceSetup.AttachedTap tap = TapDeviceSetup.attach(config);
        ErrnoCapture errno = ErrnoCapture.allocate();
        int wakeFd = Libc.eventfd(errno, 0, LinuxAbi.EFD_CLOEXEC | LinuxAbi.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int e = errno.errno();
            Libc.close(errno, tap.fd());
            throw new TapException.SystemCallFailed(tap.interfaceName(), e, "eventfd failed: " + Libc.describe(e));
        }
        TapNetif netif = new TapNetif(config, loop, tap, wakeFd);
        LOG.info("TAP {} open ({}, MTU {}), stack MAC {}", netif.interfaceName,
                tap.created() ? (config.persistent() ? "created, persistent" : "created") : "existing",
                netif.mtu, netif.mac);
        netif.receiver.start();
        return netif;
    }

    /**
     * A device over an already open descriptor {@code fd} that is not a TAP: a datagram or
     * seqpacket socket (non-blocking) keeps frame boundaries as a TAP does, so the receive
     * and send paths run over one end of a socket pair without root. The configuration gives
     * the name, MAC, MTU (required) and queue capacity; {@code fd} is closed on disconnect.
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
        TapNetif netif = new TapNetif(config, loop,
                new TapDeviceSetup.AttachedTap(fd, config.interfaceName(), config.mtu(), false), wakeFd);
        netif.receiver.start();
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
     * <p>The frame goes to the kernel before this returns. A frame the kernel refuses is an
     * error and counts as a transmit drop: EIO while the interface is down, or a frame
     * shorter than an Ethernet header.
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
            if (size > maxFrameSize) {
                counters.sendDropped();
                return Result.err(new NetifError.ExceedsMtu(size, maxFrameSize));
            }
            txBuffer.limit(size).position(0);
            int length = writer.write(txBuffer, 0, size);
            if (length < 0 || length > size) {
                counters.sendDropped();
                throw new IllegalStateException("writer returned " + length + " for a frame of at most " + size);
            }
            long written = Libc.write(txErrno, tapFd, txSegment, length);
            if (written == length) {
                counters.sent(length);
                return Result.ok();
            }
            counters.sendDropped();
            if (written >= 0) {
                return Result.err(new NetifError.DeviceError("short write of " + written + " of " + length + " bytes"));
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

    /** On the loop: one received frame to the handler. */
    private void deliverFrame(ByteBuffer frame) {
        FrameHandler h = handler;
        if (h == null || guard.isClosing()) {
            counters.receiveDropped();
            return;
        }
        counters.received(frame.remaining());
        try {
            h.frame(frame);
        } catch (RuntimeException e) {
            LOG.warn("frame handler of TAP {} failed", interfaceName, e);
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
