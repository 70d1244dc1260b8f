package org.tcpip4j.arp;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/**
 * ARP: resolution of IPv4 addresses to MAC addresses on one Ethernet link (RFC 826,
 * Mirage's {@code Arp.S}). Answers requests for our addresses and keeps a bounded cache.
 *
 * <p>Methods returning futures may be called from any thread; {@link #input} is called on
 * the event loop.
 */
public interface Arp {

    /** Handles one received ARP packet (the buffer's position..limit). Loop only. */
    void input(ByteBuffer packet);

    /** The addresses we answer for. */
    List<Ipv4Address> ips();

    /**
     * Replaces the addresses we answer for, announcing each new one with a gratuitous ARP.
     *
     * @return a future that completes once the announcements are sent
     */
    CompletableFuture<Void> setIps(List<Ipv4Address> ips);

    /** Adds one address we answer for and announces it (gratuitous ARP). */
    CompletableFuture<Void> addIp(Ipv4Address ip);

    /** Stops answering for one address. */
    CompletableFuture<Void> removeIp(Ipv4Address ip);

    /**
     * The MAC address of {@code ip}: from the cache, or by sending requests (with retries)
     * until a reply comes. Concurrent queries for one address share one resolution.
     *
     * <p>The returned future must not be completed by the caller (it may be shared).
     *
     * @return a future completing with the MAC, or failing with {@link ArpException.Timeout}
     *     when no reply came after the configured retries
     */
    CompletableFuture<MacAddress> query(Ipv4Address ip);

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: pending queries fail, timers stop. */
    CompletableFuture<Void> disconnect();
}
