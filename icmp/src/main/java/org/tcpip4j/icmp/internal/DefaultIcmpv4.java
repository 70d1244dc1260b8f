package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpRejection;
import org.tcpip4j.icmp.internal.wire.IcmpType;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;

/**
 * The default ICMPv4 layer (RFC 792, RFC 1122 3.2.2): answers echo requests, sends its
 * own ({@link #ping}) and matches their replies, and writes messages built by others.
 *
 * <p>Error messages received (destination unreachable, time exceeded, ...) are verified
 * and counted; {@link #errorReceived} is where their delivery to the transports will go.
 * Generating errors (port and protocol unreachable, time exceeded in reassembly) with
 * rate limits is for a later version.
 *
 * <p>Input and {@link #write} run on the event loop; {@link #ping} and
 * {@link #disconnect} may be called from any thread.
 */
public final class DefaultIcmpv4 implements Icmpv4 {

    /** The largest echo data: what an IPv4 datagram carries after its header and ICMP's. */
    static final int MAX_ECHO_DATA = 65_535 - 20 - IcmpPacket.HEADER_LENGTH;

    private final Ipv4 ip;
    private final EventLoop loop;
    private final int identifier;
    private final IcmpPacket rxPacket = new IcmpPacket();
    private final EchoWriters.Reply replyWriter = new EchoWriters.Reply();
    private final EchoWriters.Request requestWriter = new EchoWriters.Request();
    private final EchoWriters.Copy copyWriter = new EchoWriters.Copy();
    private final Map<Integer, PendingPing> pings = new HashMap<>();
    private int nextSequence;
    private boolean disconnected;

    private final Counters counters = new Counters("icmp");
    private final Counters.Counter rxMessages = counters.counter("rx.messages");
    private final Map<IcmpRejection, Counters.Counter> rxRejected = new EnumMap<>(IcmpRejection.class);
    private final Counters.Counter rxEchoRequests = counters.counter("rx.echo_requests");
    private final Counters.Counter rxEchoReplies = counters.counter("rx.echo_replies");
    private final Counters.Counter rxUnmatchedReplies = counters.counter("rx.unmatched_replies");
    private final Counters.Counter rxDestinationUnreachable = counters.counter("rx.destination_unreachable");
    private final Counters.Counter rxTimeExceeded = counters.counter("rx.time_exceeded");
    private final Counters.Counter rxOtherErrors = counters.counter("rx.other_errors");
    private final Counters.Counter rxOtherTypes = counters.counter("rx.other_types");
    private final Counters.Counter txEchoReplies = counters.counter("tx.echo_replies");
    private final Counters.Counter txEchoRequests = counters.counter("tx.echo_requests");
    private final Counters.Counter txMessages = counters.counter("tx.messages");
    private final Counters.Counter txErrors = counters.counter("tx.errors");
    private final Counters.Counter pingTimeouts = counters.counter("ping.timeouts");

    /** An ICMP layer over {@code ip}, with an echo identifier drawn from the context. */
    public DefaultIcmpv4(Ipv4 ip, StackContext context) {
        this.ip = ip;
        this.loop = context.loop();
        this.identifier = context.random().nextInt() & 0xffff;
        this.nextSequence = 0;
        for (IcmpRejection r : IcmpRejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
    }

    /** The identifier of this layer's echo requests. */
    int identifier() {
        return identifier;
    }

    @Override
    public void input(IpAddress src, IpAddress dst, ByteBuffer message) {
        rxMessages.increment();
        IcmpPacket p = rxPacket.wrap(message, message.position(), message.remaining());
        IcmpRejection rejection = p.check();
        if (rejection == null && !p.checksumValid()) {
            // RFC 1122 3.2.2: an ICMP message whose checksum fails is silently discarded.
            rejection = IcmpRejection.BAD_CHECKSUM;
        }
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return;
        }
        if (disconnected) {
            return;
        }
        int type = p.type();
        switch (type) {
            case IcmpType.ECHO_REQUEST -> answerEcho(src, dst, message, p);
            case IcmpType.ECHO_REPLY -> matchReply(src, p);
            default -> {
                if (IcmpType.isError(type)) {
                    errorReceived(type, p.code(), src, message);
                } else {
                    // Timestamp, information and address mask requests are optional
                    // (RFC 1122 3.2.2.8 and 3.2.2.9); none is implemented.
                    rxOtherTypes.increment();
                }
            }
        }
    }

    /**
     * RFC 1122 3.2.2.6: every host answers echo requests, returning identifier, sequence
     * and data. A reply to a unicast request comes from the address the request was sent
     * to; one to a broadcast or multicast request from the address the IP layer picks.
     */
    private void answerEcho(IpAddress src, IpAddress dst, ByteBuffer message, IcmpPacket request) {
        rxEchoRequests.increment();
        if (src.isUnspecified()) {
            return;
        }
        IpAddress from = ip.configuredIps().contains(dst) ? dst : null;
        replyWriter.request(message, message.position(), request.length());
        Result<IpError> r;
        try {
            r = ip.write(from, src, IpProtocol.ICMP, -1, true, request.length(), replyWriter);
        } finally {
            replyWriter.release();
        }
        count(r, txEchoReplies);
    }

    private void matchReply(IpAddress src, IcmpPacket reply) {
        rxEchoReplies.increment();
        if (reply.identifier() != identifier) {
            rxUnmatchedReplies.increment();
            return;
        }
        PendingPing ping = pings.get(reply.sequence());
        if (ping == null || !(src instanceof Ipv4Address from) || !ping.answeredBy(from)) {
            rxUnmatchedReplies.increment();
            return;
        }
        pings.remove(ping.sequence);
        ping.timeout.cancel();
        ping.future.complete(Duration.ofNanos(loop.nanoTime() - ping.sentAt));
    }

    /**
     * An ICMP error about a datagram we sent (its header and first bytes quoted after the
     * ICMP header): counted now. The hook for delivering it to the transport that sent the
     * datagram (RFC 1122 3.2.2.1: port unreachable aborts a UDP exchange or a TCP connect;
     * fragmentation needed feeds path MTU discovery, RFC 1191).
     */
    void errorReceived(int type, int code, IpAddress src, ByteBuffer message) {
        switch (type) {
            case IcmpType.DESTINATION_UNREACHABLE -> rxDestinationUnreachable.increment();
            case IcmpType.TIME_EXCEEDED -> rxTimeExceeded.increment();
            default -> rxOtherErrors.increment();
        }
    }

    @Override
    public Result<IpError> write(Ipv4Address src, Ipv4Address dst, int ttl, ByteBuffer message) {
        copyWriter.message(message);
        Result<IpError> r;
        try {
            r = ip.write(src, dst, IpProtocol.ICMP, ttl, true, message.remaining(), copyWriter);
        } finally {
            copyWriter.release();
        }
        return count(r, txMessages);
    }

    @Override
    public CompletableFuture<Duration> ping(Ipv4Address dst, int payloadSize, Duration timeout) {
        if (payloadSize < 0 || payloadSize > MAX_ECHO_DATA) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("echo data of " + payloadSize + " bytes, not in 0.." + MAX_ECHO_DATA));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("timeout must be positive: " + timeout));
        }
        return loop.call(() -> pingOnLoop(dst, payloadSize, timeout));
    }

    private CompletableFuture<Duration> pingOnLoop(Ipv4Address dst, int payloadSize, Duration timeout) {
        if (disconnected) {
            return CompletableFuture.failedFuture(new IcmpException.Disconnected());
        }
        int sequence = nextSequence;
        nextSequence = (nextSequence + 1) & 0xffff;
        PendingPing ping = new PendingPing(sequence, dst, isGroup(dst), loop.nanoTime());
        // A sequence number still waiting after 65536 pings: the older one has lost its reply.
        PendingPing stale = pings.put(sequence, ping);
        if (stale != null) {
            stale.timeout.cancel();
            stale.future.completeExceptionally(new IcmpException.Timeout("echo sequence " + sequence + " reused"));
        }
        // Armed before sending: on a synchronous link the reply may come inside the write.
        ping.timeout = loop.newTimer(() -> expire(ping, timeout));
        ping.timeout.schedule(timeout.toNanos());
        requestWriter.set(identifier, sequence, payloadSize);
        Result<IpError> r = ip.write(null, dst, IpProtocol.ICMP, -1, true, IcmpPacket.HEADER_LENGTH + payloadSize,
                requestWriter);
        if (!r.isOk()) {
            txErrors.increment();
            ping.timeout.cancel();
            pings.remove(sequence);
            return CompletableFuture.failedFuture(new IcmpException.SendFailed(r.errorOrNull()));
        }
        txEchoRequests.increment();
        return ping.future;
    }

    /** True for a destination many hosts answer: multicast, limited or subnet broadcast. */
    private boolean isGroup(Ipv4Address dst) {
        if (dst.isBroadcast() || dst.isMulticast()) {
            return true;
        }
        for (Ipv4Cidr c : ip.cidrs()) {
            if (c.prefix() <= 30 && dst.equals(c.broadcast())) {
                return true;
            }
        }
        return false;
    }

    private void expire(PendingPing ping, Duration timeout) {
        if (pings.get(ping.sequence) == ping) {
            pings.remove(ping.sequence);
            pingTimeouts.increment();
            ping.future.completeExceptionally(new IcmpException.Timeout(
                    "no echo reply from " + ping.destination + " within " + timeout));
        }
    }

    private Result<IpError> count(Result<IpError> r, Counters.Counter sent) {
        if (r.isOk()) {
            sent.increment();
        } else {
            txErrors.increment();
        }
        return r;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            List<PendingPing> pending = new ArrayList<>(pings.values());
            pings.clear();
            for (PendingPing p : pending) {
                p.timeout.cancel();
                p.future.completeExceptionally(new IcmpException.Disconnected());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Pings waiting for their reply (for tests and status). */
    int pendingPings() {
        return pings.size();
    }
}
