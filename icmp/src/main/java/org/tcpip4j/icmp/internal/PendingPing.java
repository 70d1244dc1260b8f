package org.tcpip4j.icmp.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.Timer;

/** An echo request of ours waiting for its reply: where it went, when, and its timeout. */
final class PendingPing {

    final int sequence;
    final Ipv4Address destination;
    final long sentAt;
    final CompletableFuture<Duration> future = new CompletableFuture<>();
    Timer timeout;

    PendingPing(int sequence, Ipv4Address destination, long sentAt) {
        this.sequence = sequence;
        this.destination = destination;
        this.sentAt = sentAt;
    }

    /**
     * True when a reply from {@code source} answers this request: from the address pinged,
     * unless that was a broadcast or multicast one, which any host may answer.
     */
    boolean answeredBy(Ipv4Address source) {
        return destination.equals(source) || destination.isBroadcast() || destination.isMulticast();
    }
}
