package org.tcpip4j.arp.internal;

import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.Timer;

/**
 * One address being resolved: the future every query for it shares, the requests sent
 * so far, and the timer that sends the next one or gives up.
 */
final class Resolution {

    final Ipv4Address ip;
    final CompletableFuture<MacAddress> future = new CompletableFuture<>();
    Timer timer;
    int requestsSent;

    Resolution(Ipv4Address ip) {
        this.ip = ip;
    }
}
