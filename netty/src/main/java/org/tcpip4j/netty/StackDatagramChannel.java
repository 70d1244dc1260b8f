package org.tcpip4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;

/**
 * A Netty {@link DatagramChannel} over our {@link Udp}: it reads and writes
 * {@link DatagramPacket}s (and, once connected, plain {@link ByteBuf}s to the connected
 * peer). Binding listens on a port of the loop's listening stack (port 0: a free ephemeral
 * one); connecting fixes the peer, and datagrams from anyone else are dropped.
 *
 * <p>UDP has no backpressure: with {@code autoRead} off and no {@link #read()} pending,
 * arriving datagrams are dropped and counted ({@link #droppedWhilePaused()}), as a full
 * socket buffer drops them. Multicast is not supported: {@code joinGroup},
 * {@code leaveGroup} and {@code block} fail their futures with
 * {@link UnsupportedOperationException}.
 */
public final class StackDatagramChannel extends AbstractChannel implements DatagramChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);

    private final StackDatagramChannelConfig config = new StackDatagramChannelConfig(this);
    private final AtomicLong droppedWhilePaused = new AtomicLong();
    private final UdpCallback callback = this::datagram;
    private final BiConsumer<Void, Throwable> writeDone = this::writeDone;
    private volatile boolean open = true;
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private Stack stack;
    private boolean readPending;
    private boolean writing;
    /** The last destination written to and our form of its address: converted once, not per datagram. */
    private InetSocketAddress lastTo;
    private IpAddress lastToIp;

    /** A datagram channel; it binds on the stack of the loop it is registered on. */
    public StackDatagramChannel() {
        super(null);
    }

    /** Datagrams dropped because reading was paused ({@code autoRead} off, no read pending). */
    public long droppedWhilePaused() {
        return droppedWhilePaused.get();
    }

    @Override
    public StackDatagramChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && local != null;
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof StackEventLoop;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((StackEventLoop) eventLoop()).admit(this, promise);
    }

    @Override
    protected void doDeregister() {
        ((StackEventLoop) eventLoop()).removed(this);
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new DatagramUnsafe();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        InetSocketAddress requested = Addresses.inet(localAddress);
        Stack s = ((StackEventLoop) eventLoop()).listeningStack();
        int port = Ports.reserve(s, "udp", requested.getPort());
        try {
            s.udp().listen(port, callback);
        } catch (RuntimeException e) {
            Ports.release(s, "udp", port);
            throw e;
        }
        stack = s;
        local = new InetSocketAddress(requested.getAddress(), port);
    }

    @Override
    protected void doDisconnect() {
        remote = null;
    }

    @Override
    protected void doClose() {
        open = false;
        InetSocketAddress l = local;
        if (l != null && stack != null) {
            stack.udp().unlisten(l.getPort());
            Ports.release(stack, "udp", l.getPort());
        }
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
    }

    /** autoRead was switched off: datagrams are dropped until the next {@link #read()}. */
    void autoReadCleared() {
        if (!isRegistered() || eventLoop().inEventLoop()) {
            readPending = false;
        } else {
            eventLoop().execute(this::autoReadCleared);
        }
    }

    private void datagram(IpAddress src, IpAddress dst, int srcPort, ByteBuffer payload) {
        if (!eventLoop().inEventLoop()) {
            // A multi-queue stack delivers on the queue the datagram arrived on.
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            eventLoop().execute(() -> datagram(src, dst, srcPort, copy));
            return;
        }
        if (!isActive()) {
            return;
        }
        if (!readPending && !config.isAutoRead()) {
            droppedWhilePaused.incrementAndGet();
            return;
        }
        InetSocketAddress r = remote;
        InetSocketAddress sender = InetAddresses.toSocketAddress(src, srcPort);
        if (r != null && !r.equals(sender)) {
            return;
        }
        readPending = false;
        ByteBuf buf = config.getAllocator().ioBuffer(payload.remaining());
        buf.writeBytes(payload);
        pipeline().fireChannelRead(new DatagramPacket(buf, InetAddresses.toSocketAddress(dst, local.getPort()),
            sender));
        pipeline().fireChannelReadComplete();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DatagramPacket p) {
            return p;
        }
        if (msg instanceof ByteBuf b) {
            if (remote == null) {
                throw new NotYetConnectedException();
            }
            return b;
        }
        if (msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof ByteBuf
            && (e.recipient() instanceof InetSocketAddress || e.recipient() == null)) {
            return e;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName()
            + " (the tcpip4j datagram channel writes DatagramPackets, or ByteBufs once connected)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        while (!writing) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            ByteBuf data;
            InetSocketAddress to;
            if (msg instanceof AddressedEnvelope<?, ?> e) {
                data = (ByteBuf) e.content();
                to = e.recipient() != null ? (InetSocketAddress) e.recipient() : remote;
            } else {
                data = (ByteBuf) msg;
                to = remote;
            }
            if (to == null) {
                in.remove(new NotYetConnectedException());
                continue;
            }
            CompletableFuture<Void> sent;
            try {
                // The buffer's own view where it has one: the UDP layer copies the payload
                // before the future completes, and the message is not released before that.
                ByteBuffer payload = data.nioBufferCount() == 1
                    ? data.internalNioBuffer(data.readerIndex(), data.readableBytes()) : data.nioBuffer();
                sent = stack.udp().write(null, local.getPort(), ipOf(to), to.getPort(), config.getTimeToLive(), payload);
            } catch (RuntimeException ex) {
                in.remove(ex);
                continue;
            }
            if (sent.isDone()) {
                if (sent.isCompletedExceptionally()) {
                    in.remove(failure(sent.exceptionNow()));
                } else {
                    in.remove();
                }
                continue;
            }
            writing = true;
            sent.whenComplete(writeDone);
        }
    }

    private IpAddress ipOf(InetSocketAddress to) {
        if (!to.equals(lastTo)) {
            lastToIp = InetAddresses.fromInet(to.getAddress());
            lastTo = to;
        }
        return lastToIp;
    }

    private void writeDone(Void ignored, Throwable t) {
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> writeDone(ignored, t));
            return;
        }
        writing = false;
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (in == null) {
            return;
        }
        if (t != null) {
            in.remove(failure(t));
        } else {
            in.remove();
        }
        ((DatagramUnsafe) unsafe()).resumeFlush();
    }

    private static Throwable failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof RuntimeException ? cause : new IOException(cause.getMessage(), cause);
    }

    private final class DatagramUnsafe extends AbstractUnsafe {

        void resumeFlush() {
            flush0();
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            boolean wasActive = isActive();
            try {
                InetSocketAddress to = Addresses.inet(remoteAddress);
                if (local == null) {
                    doBind(localAddress != null ? localAddress : new InetSocketAddress(0));
                }
                remote = to;
            } catch (Throwable t) {
                promise.setFailure(t);
                closeIfClosed();
                return;
            }
            promise.setSuccess();
            if (!wasActive && isActive()) {
                pipeline().fireChannelActive();
            }
        }
    }

    // ---- multicast: not supported ------------------------------------------------------

    private ChannelFuture noMulticast(ChannelPromise promise) {
        promise.setFailure(new UnsupportedOperationException("the tcpip4j datagram channel has no multicast"));
        return promise;
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                   ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source, ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                    ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source, ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock, ChannelPromise future) {
        return noMulticast(future);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock) {
        return noMulticast(newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock, ChannelPromise future) {
        return noMulticast(future);
    }
}
