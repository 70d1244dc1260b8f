package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;
import org.tcpip4j.udp.UdpException;

/**
 * UDP over the kernel's datagram sockets. Each local port is one {@link UdpPort} (a
 * {@link DatagramChannel} per stack address) with a receive loop per channel on a virtual
 * thread; each received datagram is copied and handed to the event loop, which calls the
 * port's current callback. Sends run in order on one virtual thread, so the loop never
 * waits for the kernel, and complete on the loop.
 *
 * <p>Where it differs from the direct stack's UDP, see {@code SocketStack}'s Javadoc.
 */
public final class SocketUdp implements Udp {

    private static final Logger LOG = LoggerFactory.getLogger(SocketUdp.class);

    /** Room for any datagram IPv4 or IPv6 (without jumbograms) can carry, so none is truncated. */
    private static final int RECEIVE_BUFFER = 65_536;

    private final SocketSettings settings;
    private final LoopHandoff handoff;
    private final ExecutorService sender;

    // Named as the direct stack's UDP names them; rx.bytes and rx.callback_errors are extra.
    private final Counters counters = new Counters("udp");
    private final Counters.Counter rxDatagrams = counters.counter("rx.datagrams");
    private final Counters.Counter rxNoListener = counters.counter("rx.no_listener");
    private final Counters.Counter rxDelivered = counters.counter("rx.delivered");
    private final Counters.Counter rxBytes = counters.counter("rx.bytes");
    private final Counters.Counter rxCallbackErrors = counters.counter("rx.callback_errors");
    private final Counters.Counter txDatagrams = counters.counter("tx.datagrams");
    private final Counters.Counter txBytes = counters.counter("tx.bytes");
    private final Counters.Counter txErrors = counters.counter("tx.errors");

    private final Object lock = new Object();
    /** Open ports by local port number. Guarded by {@link #lock}. */
    private final Map<Integer, UdpPort> ports = new HashMap<>();
    /** The port {@code listen(0)} had the kernel pick. Guarded by {@link #lock}. */
    private UdpPort kernelChosen;
    /** The port writes from source port 0 go out of. Guarded by {@link #lock}. */
    private UdpPort ephemeral;
    private volatile boolean disconnected;

    /** UDP on {@code settings}' addresses, delivering on {@code handoff}'s loop. */
    public SocketUdp(SocketSettings settings, LoopHandoff handoff) {
        this.settings = settings;
        this.handoff = handoff;
        this.sender = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("tcpip4j-" + settings.name() + "-udp-tx").factory());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binds the port on every stack address unless it is already open (then only the
     * callback changes). Port 0 has the kernel pick a free port; {@link #boundPort(int)}
     * tells which, and {@code listen(0, ...)} again replaces that port's callback.
     *
     * After {@link #disconnect()} it does nothing, as on the direct stack.
     *
     * @throws UncheckedIOException when the kernel refuses the bind (the port is taken by
     *     another socket of the host)
     */
    @Override
    public void listen(int port, UdpCallback callback) {
        listen(port, callback, IpVersions.BOTH);
    }

    /**
     * {@link #listen(int, UdpCallback)} for the sources of {@code versions} only: the port's
     * channels are the same, and datagrams from a version nobody listens for count as
     * having no listener.
     */
    /** {@inheritDoc} On a wildcard {@code ::} the kernel takes both versions; the other version's datagrams find no listener. */
    @Override
    public void listen(int port, int ipVersion, UdpCallback callback) {
        listen(port, callback, IpVersions.of(ipVersion));
    }

    void listen(int port, UdpCallback callback, IpVersions versions) {
        checkPort(port);
        Objects.requireNonNull(callback, "callback");
        synchronized (lock) {
            if (disconnected) {
                LOG.debug("{}: UDP layer disconnected; not listening on port {}", settings.name(), port);
                return;
            }
            UdpPort p = port == 0 ? kernelChosen : ports.get(port);
            if (p == null) {
                try {
                    p = open(port);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot listen on UDP port " + port + ": " + e.getMessage(), e);
                }
                if (port == 0) {
                    kernelChosen = p;
                }
            }
            p.listen(versions, callback);
        }
    }

    /**
     * {@inheritDoc} Closes the port's channels and waits (briefly) for their receive loops
     * to end, so the port is free when this returns; a later write from the port binds it
     * again.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535, as on the
     *     direct stack
     */
    @Override
    public void unlisten(int port) {
        checkPort(port);
        UdpPort p;
        synchronized (lock) {
            p = port == 0 ? kernelChosen : ports.get(port);
            if (p == null || !p.listened()) {
                return;
            }
            forget(p);
        }
        p.close();
    }

    /**
     * The local port of the listener registered with {@code listen(port, ...)}: {@code port}
     * itself, or the kernel's choice for 0; -1 when nobody listens there.
     */
    public int boundPort(int port) {
        synchronized (lock) {
            UdpPort p = port == 0 ? kernelChosen : ports.get(port);
            return p == null || !p.listened() ? -1 : p.localPort();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the socket stack the future completes when the kernel has taken the datagram
     * (its {@code sendto} returned). {@code ttl} sets {@code IP_MULTICAST_TTL} for a
     * multicast destination and is otherwise ignored: Java has no unicast TTL option, so
     * the kernel's default applies. A source port of 0 sends from one port the kernel
     * picked for this stack, the same for every such write. {@code src}, when given, must
     * be one of the stack's addresses ({@link IllegalArgumentException} otherwise).
     */
    @Override
    public CompletableFuture<Void> write(IpAddress src, int srcPort, IpAddress dst, int dstPort, int ttl,
                                         ByteBuffer payload) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        IpAddress from;
        try {
            Objects.requireNonNull(dst, "dst");
            Objects.requireNonNull(payload, "payload");
            checkPort(srcPort);
            checkPort(dstPort);
            if (ttl < -1 || ttl > 255) {
                throw new IllegalArgumentException("TTL out of -1..255: " + ttl);
            }
            from = settings.sourceFor(src, dst);
        } catch (IllegalArgumentException | NullPointerException e) {
            handoff.fail(result, e);
            return result;
        }
        if (from == null) {
            finishWrite(result, new UdpException.Ip(new IpError.NoRoute(dst)), 0);
            return result;
        }
        int size = payload.remaining();
        int max = KernelErrors.maxUdpPayload(dst);
        if (size > max) {
            finishWrite(result, new UdpException.Ip(new IpError.TooLarge(size, max)), 0);
            return result;
        }
        try {
            sender.execute(() -> send(from, srcPort, dst, dstPort, ttl, payload, result));
        } catch (RejectedExecutionException e) {
            finishWrite(result, new UdpException.Disconnected(), 0);
        }
        return result;
    }

    /**
     * Not supported: the kernel receives for the socket stack, which has no IP layer to
     * feed it.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void input(IpAddress src, IpAddress dst, ByteBuffer datagram) {
        throw new UnsupportedOperationException("the socket stack's UDP receives from the kernel, not from an IP layer");
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /**
     * {@inheritDoc} Closes every channel; writes still queued fail with
     * {@link UdpException.Disconnected}. The future completes, on the loop, once the
     * sending thread has finished them.
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        List<UdpPort> open;
        synchronized (lock) {
            if (disconnected) {
                return CompletableFuture.completedFuture(null);
            }
            disconnected = true;
            open = new ArrayList<>(ports.values());
            ports.clear();
            kernelChosen = null;
            ephemeral = null;
        }
        open.forEach(UdpPort::close);
        sender.shutdown();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("tcpip4j-" + settings.name() + "-udp-stop").start(() -> {
            try {
                if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("{}: UDP sends still running after disconnect", settings.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handoff.complete(done, null);
        });
        return done;
    }

    /** Sending thread: one datagram, then its future settled on the loop. */
    private void send(IpAddress from, int srcPort, IpAddress dst, int dstPort, int ttl, ByteBuffer payload,
                      CompletableFuture<Void> result) {
        int size = payload.remaining();
        InetSocketAddress target = InetAddresses.toSocketAddress(dst, dstPort);
        // A port closed by unlisten between picking its channel and sending is opened again once.
        for (int attempt = 0; ; attempt++) {
            try {
                DatagramChannel channel = sendingChannel(from, srcPort);
                if (dst.isMulticast()) {
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl < 0 ? 1 : ttl);
                }
                int sent = channel.send(payload.duplicate(), target);
                finishWrite(result, null, sent);
                return;
            } catch (ClosedChannelException e) {
                if (disconnected) {
                    finishWrite(result, new UdpException.Disconnected(), 0);
                    return;
                }
                if (attempt > 0) {
                    finishWrite(result, KernelErrors.udpWrite(e, dst, size), 0);
                    return;
                }
            } catch (IOException e) {
                finishWrite(result, KernelErrors.udpWrite(e, dst, size), 0);
                return;
            } catch (RuntimeException e) {
                finishWrite(result, e, 0);
                return;
            }
        }
    }

    /** The channel to send from: the port's (opened now when needed) on the chosen address. */
    private DatagramChannel sendingChannel(IpAddress from, int srcPort) throws IOException {
        synchronized (lock) {
            if (disconnected) {
                throw new ClosedChannelException();
            }
            UdpPort p;
            if (srcPort == 0) {
                if (ephemeral == null || ephemeral.isClosed()) {
                    ephemeral = open(0);
                }
                p = ephemeral;
            } else {
                p = ports.get(srcPort);
                if (p == null) {
                    p = open(srcPort);
                }
            }
            return p.channel(from);
        }
    }

    /** Binds a port, registers it and starts its receive loops. Holds {@link #lock}. */
    private UdpPort open(int port) throws IOException {
        UdpPort p = UdpPort.bind(settings.addresses(), port);
        ports.put(p.localPort(), p);
        for (Map.Entry<IpAddress, DatagramChannel> e : p.channels().entrySet()) {
            IpAddress local = e.getKey();
            DatagramChannel channel = e.getValue();
            p.addReceiver(Thread.ofVirtual().name("tcpip4j-" + settings.name() + "-udp-rx-" + p.localPort())
                    .start(() -> receive(p, local, channel)));
        }
        LOG.debug("{}: UDP port {} bound on {}", settings.name(), p.localPort(), settings.addresses());
        return p;
    }

    /** Removes {@code p} from the registry. Holds {@link #lock}. */
    private void forget(UdpPort p) {
        ports.remove(p.localPort(), p);
        if (p == kernelChosen) {
            kernelChosen = null;
        }
        if (p == ephemeral) {
            ephemeral = null;
        }
    }

    /** Receive loop of one channel, on its own virtual thread, until the channel closes. */
    private void receive(UdpPort port, IpAddress local, DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                // The callback may run after the next receive reuses the buffer: copy.
                ByteBuffer payload = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                IpAddress src = InetAddresses.fromInet(from.getAddress());
                int srcPort = from.getPort();
                IpAddress dst = SocketSettings.receivedAt(local, src);
                handoff.post(() -> deliver(port, src, srcPort, dst, payload));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // An unconnected socket reports no ICMP errors, so this is rare; keep serving.
                LOG.debug("{}: UDP receive on port {} failed: {}", settings.name(), port.localPort(), e.toString());
            }
        }
    }

    /** On the loop: one datagram to the port's callback as it is now. */
    private void deliver(UdpPort port, IpAddress src, int srcPort, IpAddress dst, ByteBuffer payload) {
        rxDatagrams.increment();
        UdpCallback callback = port.callback(src);
        if (callback == null || disconnected) {
            rxNoListener.increment();
            return;
        }
        rxDelivered.increment();
        rxBytes.add(payload.remaining());
        try {
            callback.datagram(src, dst, srcPort, payload);
        } catch (RuntimeException e) {
            rxCallbackErrors.increment();
            LOG.warn("{}: UDP callback on port {} threw", settings.name(), port.localPort(), e);
        }
    }

    /** Settles a write's future on the loop and counts it there. */
    private void finishWrite(CompletableFuture<Void> result, Throwable error, int bytes) {
        handoff.settle(() -> {
            if (error == null) {
                txDatagrams.increment();
                txBytes.add(bytes);
                result.complete(null);
            } else {
                txErrors.increment();
                result.completeExceptionally(error);
            }
        });
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
    }
}
