package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpRejection;
import org.tcpip4j.ip.IcmpErrorHandler;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;

/**
 * What ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) do alike: verify a message's length and
 * checksum, answer echo requests, send pings and match their replies ({@link Pings}),
 * write messages others built, count, and stop. The versions differ in their type numbers,
 * and in the checksum: ICMPv6's covers the pseudo-header (RFC 4443 2.3), so its layer
 * picks each message's source itself rather than leaving it to the IP layer.
 *
 * <p>Loop only, but for {@link #ping} and {@link #disconnect}.
 */
abstract sealed class IcmpLayer permits DefaultIcmpv4, DefaultIcmpv6 {

    private final Ip ip;
    private final int protocol;
    private final boolean pseudoHeader;
    private final boolean echoGroups;
    private final int requestType;
    private final int replyType;
    final EventLoop loop;
    final Pings pings;
    final ErrorDelivery delivery;
    private final IcmpPacket rxPacket = new IcmpPacket();
    private final EchoWriters.Reply replyWriter;
    private final EchoWriters.Request requestWriter;
    private final EchoWriters.Copy copyWriter = new EchoWriters.Copy();
    boolean disconnected;

    final Counters counters;
    private final Counters.Counter rxMessages;
    private final Map<IcmpRejection, Counters.Counter> rxRejected = new EnumMap<>(IcmpRejection.class);
    private final Counters.Counter rxEchoRequests;
    private final Counters.Counter rxEchoReplies;
    private final Counters.Counter rxEchoGroupIgnored;
    private final Counters.Counter rxEchoBadSource;
    final Counters.Counter rxOtherTypes;
    private final Counters.Counter txEchoReplies;
    private final Counters.Counter txEchoRequests;
    private final Counters.Counter txMessages;
    private final Counters.Counter txErrors;

    /**
     * A layer over {@code ip} for the messages of {@code protocol}, whose checksums cover
     * the pseudo-header when {@code pseudoHeader}, with an echo identifier drawn from the
     * context's secrets: an off-path host that knew it could forge replies to pings.
     *
     * @param echoGroups whether echo requests to a broadcast or multicast address are answered
     * @param groupIgnored the counter of those that are not
     */
    IcmpLayer(Ip ip, StackContext context, String layer, int protocol, boolean pseudoHeader, int requestType,
              int replyType, int maxEchoData, boolean echoGroups, String groupIgnored) {
        this.ip = ip;
        this.protocol = protocol;
        this.pseudoHeader = pseudoHeader;
        this.echoGroups = echoGroups;
        this.requestType = requestType;
        this.replyType = replyType;
        this.loop = context.loop();
        this.counters = new Counters(layer);
        this.rxMessages = counters.counter("rx.messages");
        this.rxEchoRequests = counters.counter("rx.echo_requests");
        this.rxEchoReplies = counters.counter("rx.echo_replies");
        this.rxEchoGroupIgnored = counters.counter(groupIgnored);
        this.rxEchoBadSource = counters.counter("rx.echo_requests_bad_source");
        this.rxOtherTypes = counters.counter("rx.other_types");
        this.txEchoReplies = counters.counter("tx.echo_replies");
        this.txEchoRequests = counters.counter("tx.echo_requests");
        this.txMessages = counters.counter("tx.messages");
        this.txErrors = counters.counter("tx.errors");
        for (IcmpRejection r : IcmpRejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
        this.replyWriter = new EchoWriters.Reply(replyType);
        this.requestWriter = new EchoWriters.Request(requestType);
        this.pings = new Pings(loop, context.secrets().nextInt() & 0xffff, requestType, maxEchoData, counters);
        this.delivery = new ErrorDelivery(protocol, pings, counters);
    }

    /**
     * Handles one received message (position..limit): verified, then an echo request
     * answered, an echo reply matched, any other type handed to {@link #otherMessage}.
     */
    public final void input(IpAddress src, IpAddress dst, ByteBuffer message) {
        IcmpPacket p = verified(src, dst, message);
        if (p == null) {
            return;
        }
        int type = p.type();
        if (type == requestType) {
            answerEcho(src, dst, message, p);
        } else if (type == replyType) {
            matchReply(src, p);
        } else {
            otherMessage(type, src, message, p);
        }
    }

    /** Handles a verified message of a type other than echo's. */
    abstract void otherMessage(int type, IpAddress src, ByteBuffer message, IcmpPacket p);

    /**
     * Counts the message at {@code message}'s position..limit and checks its length and
     * checksum (RFC 1122 3.2.2, RFC 4443 2.4: one that fails is silently discarded).
     *
     * @return a view of the message, or {@code null} when it is dropped (counted), or the
     *     layer has stopped
     */
    private IcmpPacket verified(IpAddress src, IpAddress dst, ByteBuffer message) {
        rxMessages.increment();
        IcmpPacket p = rxPacket.wrap(message, message.position(), message.remaining());
        IcmpRejection rejection = p.check();
        if (rejection == null) {
            long sum = pseudoHeader ? ip.pseudoheaderChecksum(src, dst, protocol, p.length()) : 0;
            rejection = p.checksumValid(sum) ? null : IcmpRejection.BAD_CHECKSUM;
        }
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return null;
        }
        return disconnected ? null : p;
    }

    /**
     * RFC 1122 3.2.2.6, RFC 4443 4.2: every host answers echo requests, returning
     * identifier, sequence and data. A reply to a request sent to one of our addresses
     * comes from that address (RFC 4443 2.2 (a)). A request to a broadcast or multicast
     * address is answered only when the configuration says so, from the address the IP
     * layer selects; one from an address that is not one host is not.
     */
    private void answerEcho(IpAddress src, IpAddress dst, ByteBuffer message, IcmpPacket request) {
        rxEchoRequests.increment();
        if (!ip.addressKind(src).isOneHost() && !ip.configuredIps().contains(src)) {
            rxEchoBadSource.increment();
            return;
        }
        if (!echoGroups && ip.addressKind(dst).isBroadcastOrMulticast()) {
            rxEchoGroupIgnored.increment();
            return;
        }
        IpAddress from = ip.configuredIps().contains(dst) ? dst : null;
        send(from, src, -1, request.length(), replyWriter.request(message, message.position(), request.length()),
                txEchoReplies);
    }

    /** An echo reply: completes the ping it answers, if any. */
    private void matchReply(IpAddress src, IcmpPacket reply) {
        rxEchoReplies.increment();
        pings.reply(src, reply.identifier(), reply.sequence());
    }

    /** Writes the caller's message, from {@code src} or the source the layer picks. */
    final Result<IpError> writeMessage(IpAddress src, IpAddress dst, int ttl, ByteBuffer message) {
        return send(src, dst, ttl, message.remaining(), copyWriter.message(message), txMessages);
    }

    /** Pings {@code dst}, which any host may answer when {@code group}. */
    final CompletableFuture<Duration> ping(IpAddress dst, boolean group, int payloadSize, Duration timeout) {
        return pings.ping(dst, group, payloadSize, timeout, (id, sequence) -> send(null, dst, -1,
                IcmpPacket.HEADER_LENGTH + payloadSize, requestWriter.set(id, sequence, payloadSize),
                txEchoRequests));
    }

    /**
     * Writes one message from {@code src}, or when {@code null} from the source the IP
     * layer selects for {@code dst} (for ICMPv4 the IP layer picks it itself), and counts it.
     */
    private Result<IpError> send(IpAddress src, IpAddress dst, int ttl, int length, EchoWriters.Message writer,
                                 Counters.Counter sent) {
        IpAddress from = src;
        if (pseudoHeader) {
            from = src != null ? src : ip.src(dst);
            if (from == null) {
                txErrors.increment();
                return Result.err(new IpError.NoRoute(dst));
            }
            writer.pseudoHeader(ip.pseudoheaderChecksum(from, dst, protocol, length));
        }
        Result<IpError> r;
        try {
            r = ip.write(from, dst, protocol, ttl, true, length, writer);
        } finally {
            writer.release();
        }
        if (r.isOk()) {
            sent.increment();
        } else {
            txErrors.increment();
        }
        return r;
    }

    /**
     * Sets where errors about datagrams our transports sent go, replacing the handler set
     * before; {@code null} for none. Errors about our echo requests fail the ping instead.
     */
    public final void onError(IcmpErrorHandler handler) {
        delivery.onError(handler);
    }

    /** The layer's counters. */
    public final Counters counters() {
        return counters;
    }

    /** Stops the layer: pending pings fail, nothing more is answered or sent. */
    public final CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            pings.disconnect();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The identifier of this layer's echo requests. */
    final int identifier() {
        return pings.identifier();
    }

    /** Pings waiting for their reply (for tests and status). */
    final int pendingPings() {
        return pings.size();
    }
}
