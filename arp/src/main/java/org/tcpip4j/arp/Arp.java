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
     * Replaces the addresses we answer for, announcing each new one with a gratuitous ARP
     * (RFC 5227 2.3). With {@link ArpConfig#probeBeforeUse()}, each new address is probed
     * first and taken into use only when no other host claims it.
     *
     * @return a future that completes once the announcements are sent, or fails with
     *     {@link ArpException.Conflict} when a probed address is in use elsewhere (the other
     *     addresses are taken into use all the same)
     */
    CompletableFuture<Void> setIps(List<Ipv4Address> ips);

    /**
     * Adds one address we answer for and announces it (gratuitous ARP); probed first with
     * {@link ArpConfig#probeBeforeUse()}.
     *
     * @return a future as {@link #setIps} returns
     */
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

    /**
     * Makes {@code ip} resolve to {@code mac} without requests, replacing any entry for it: a
     * static entry never expires, is never evicted, and no packet changes it, which pins a
     * gateway's address against ARP spoofing.
     *
     * @return a future completing once the entry is in place
     */
    CompletableFuture<Void> addStatic(Ipv4Address ip, MacAddress mac);

    /**
     * Removes the static entry of {@code ip}, if there is one: the address is resolved by
     * requests again from then on.
     *
     * @return a future completing once the entry is gone
     */
    CompletableFuture<Void> removeStatic(Ipv4Address ip);

    /**
     * The configuration the layer runs with. The IPv4 layer reads
     * {@link ArpConfig#pendingPacketsPerAddress()} from it to size the queue of datagrams
     * waiting for a resolution. The default is {@link ArpConfig#DEFAULT}.
     */
    default ArpConfig config() {
        return ArpConfig.DEFAULT;
    }

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: pending queries fail, timers stop. */
    CompletableFuture<Void> disconnect();
}
