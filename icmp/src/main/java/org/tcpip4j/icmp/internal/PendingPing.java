package org.tcpip4j.icmp.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.loop.Timer;

/** An echo request of ours waiting for its reply: where it went, when, and its timeout. */
final class PendingPing {

    final int sequence;
    final IpAddress destination;
    final boolean anyHostAnswers;
    final long sentAt;
    final CompletableFuture<Duration> future = new CompletableFuture<>();
    Timer timeout;

    /**
     * A ping of {@code destination}, which any host may answer when {@code anyHostAnswers}
     * (a broadcast or multicast destination).
     */
    PendingPing(int sequence, IpAddress destination, boolean anyHostAnswers, long sentAt) {
        this.sequence = sequence;
        this.destination = destination;
        this.anyHostAnswers = anyHostAnswers;
        this.sentAt = sentAt;
    }

    /** True when a reply from {@code source} answers this request. */
    boolean answeredBy(IpAddress source) {
        return anyHostAnswers || destination.equals(source);
    }
}
