package org.tcpip4j.icmp.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * The echo requests of one ICMP layer waiting for their replies, for either IP version
 * (RFC 792 "Echo or Echo Reply Message", RFC 4443 4.1 and 4.2): one identifier for the
 * layer, drawn from the stack's secrets so that an off-path host cannot forge replies,
 * the next sequence number for each request (1 first, as Linux's ping numbers them, then
 * counting up modulo 65536), a timeout per request, and the matching of
 * replies (identifier, sequence, and the host pinged unless any host may answer) and of
 * errors quoting a request. Loop only, but for {@link #ping}.
 */
final class Pings {

    /** Sends the echo request with this identifier and sequence number. */
    @FunctionalInterface
    interface Sender {
        Result<IpError> send(int identifier, int sequence);
    }

    private final EventLoop loop;
    private final int identifier;
    private final int requestType;
    private final int maxData;
    private final Map<Integer, PendingPing> pending = new HashMap<>();
    private final Counters.Counter unmatchedReplies;
    private final Counters.Counter timeouts;
    private int nextSequence = 1;
    private boolean disconnected;

    /**
     * Pings of the layer with {@code identifier}, whose echo requests have the type
     * {@code requestType} and at most {@code maxData} bytes of data.
     */
    Pings(EventLoop loop, int identifier, int requestType, int maxData, Counters counters) {
        this.loop = loop;
        this.identifier = identifier;
        this.requestType = requestType;
        this.maxData = maxData;
        this.unmatchedReplies = counters.counter("rx.unmatched_replies");
        this.timeouts = counters.counter("ping.timeouts");
    }

    /** The identifier of the layer's echo requests. */
    int identifier() {
        return identifier;
    }

    /**
     * Sends an echo request to {@code dst} through {@code sender} on the loop and returns
     * the future its reply, its timeout, an error about it or the layer's end completes.
     * Any thread.
     *
     * @param anyHostAnswers whether a reply from any host answers it (broadcast, multicast)
     */
    CompletableFuture<Duration> ping(IpAddress dst, boolean anyHostAnswers, int payloadSize, Duration timeout,
                                     Sender sender) {
        if (payloadSize < 0 || payloadSize > maxData) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("echo data of " + payloadSize + " bytes, not in 0.." + maxData));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("timeout must be positive: " + timeout));
        }
        return loop.call(() -> pingOnLoop(dst, anyHostAnswers, timeout, sender));
    }

    private CompletableFuture<Duration> pingOnLoop(IpAddress dst, boolean anyHostAnswers, Duration timeout,
                                                   Sender sender) {
        if (disconnected) {
            return CompletableFuture.failedFuture(new IcmpException.Disconnected());
        }
        int sequence = nextSequence;
        nextSequence = (nextSequence + 1) & 0xffff;
        PendingPing ping = new PendingPing(sequence, dst, anyHostAnswers, loop.nanoTime());
        // A sequence number still waiting after 65536 pings: the older one has lost its reply.
        PendingPing stale = pending.put(sequence, ping);
        if (stale != null) {
            stale.timeout.cancel();
            stale.future.completeExceptionally(new IcmpException.Timeout("echo sequence " + sequence + " reused"));
        }
        // Armed before sending: on a synchronous link the reply may come inside the write.
        ping.timeout = loop.newTimer(() -> expire(ping, timeout));
        ping.timeout.schedule(timeout.toNanos());
        Result<IpError> r = sender.send(identifier, sequence);
        if (!r.isOk()) {
            ping.timeout.cancel();
            pending.remove(sequence);
            return CompletableFuture.failedFuture(new IcmpException.SendFailed(r.errorOrNull()));
        }
        return ping.future;
    }

    /** Completes the ping an echo reply from {@code src} answers, or counts it as unmatched. */
    void reply(IpAddress src, int replyIdentifier, int sequence) {
        PendingPing ping = replyIdentifier == identifier ? pending.get(sequence) : null;
        if (ping == null || !ping.answeredBy(src)) {
            unmatchedReplies.increment();
            return;
        }
        pending.remove(ping.sequence);
        ping.timeout.cancel();
        ping.future.complete(Duration.ofNanos(loop.nanoTime() - ping.sentAt));
    }

    /**
     * Fails the ping whose echo request {@code error} quotes: ours by type and identifier,
     * pending by sequence, and sent to the quoted destination (a group ping accepts any).
     *
     * @return false when the quote is of no ping of ours
     */
    boolean fail(IcmpError error) {
        long echo = error.transportHeader();
        int quotedType = (int) (echo >>> 56) & 0xff;
        int quotedIdentifier = (int) (echo >>> 16) & 0xffff;
        int quotedSequence = (int) echo & 0xffff;
        if (quotedType != requestType || quotedIdentifier != identifier) {
            return false;
        }
        PendingPing ping = pending.get(quotedSequence);
        if (ping == null || !(ping.anyHostAnswers || ping.destination.equals(error.destination()))) {
            return false;
        }
        pending.remove(quotedSequence);
        ping.timeout.cancel();
        ping.future.completeExceptionally(new IcmpException.ErrorReported(error));
        return true;
    }

    private void expire(PendingPing ping, Duration timeout) {
        if (pending.get(ping.sequence) == ping) {
            pending.remove(ping.sequence);
            timeouts.increment();
            ping.future.completeExceptionally(new IcmpException.Timeout(
                    "no echo reply from " + ping.destination + " within " + timeout));
        }
    }

    /** Fails every pending ping and refuses new ones. Loop only. */
    void disconnect() {
        disconnected = true;
        List<PendingPing> all = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingPing p : all) {
            p.timeout.cancel();
            p.future.completeExceptionally(new IcmpException.Disconnected());
        }
    }

    /** Pings waiting for their reply. */
    int size() {
        return pending.size();
    }
}
