package org.tcpip4j.icmp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpErrorHandler;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Result;

/**
 * ICMPV6 (RFC 4443): answers echo requests, sends echo requests of its own ({@link #ping}),
 * writes ICMPv6 messages, generates the errors the IPv6 layer asks for ({@link #sendError})
 * within a token-bucket rate limit, and delivers the errors it receives ({@link #onError})
 * mapped to the version-neutral {@link org.tcpip4j.ip.IcmpError}. Neighbor Discovery and
 * MLD messages belong to the IPv6 layer and never reach it.
 */
public interface Icmpv6 {

    /**
     * Handles one received ICMPv6 message (the buffer's position..limit), verifying its
     * checksum over the pseudo-header. Loop only.
     */
    void input(IpAddress src, IpAddress dst, ByteBuffer message);

    /**
     * Writes one ICMPv6 message: the bytes from position to limit, type first; the checksum
     * is computed over the pseudo-header and written. Loop only.
     *
     * @param src the source address, or {@code null} for the layer's choice
     * @param hopLimit the hop limit, or -1 for the default
     */
    Result<IpError> write(Ipv6Address src, Ipv6Address dst, int hopLimit, ByteBuffer message);

    /**
     * Sends one echo request with {@code payloadSize} bytes of payload to {@code dst}
     * (fragmented when it does not fit the path MTU). The layer's requests carry sequence
     * numbers 1, 2, 3, ... in the order they are sent (as Linux's ping numbers them), modulo
     * 65536.
     *
     * @return a future completing with the round-trip time when the matching reply comes,
     *     or failing with {@link IcmpException.Timeout} after {@code timeout}, with
     *     {@link IcmpException.ErrorReported} when an error about it comes back, or with
     *     {@link IcmpException.SendFailed} when it could not be sent
     */
    CompletableFuture<Duration> ping(Ipv6Address dst, int payloadSize, Duration timeout);

    /**
     * Sends the ICMPv6 error {@code type}/{@code code} about a received datagram, quoting as
     * much of it as fits in the minimum MTU (RFC 4443 2.4 (c)), unless a rule forbids one
     * (RFC 4443 2.4 (e): the datagram is an ICMPv6 error or redirect, was sent to a multicast
     * address or as link-layer multicast (but for packet too big and parameter problem code
     * 2), or comes from an address that does not name one host) or the rate limit holds it
     * back; either is counted. The stack registers this as the IPv6 layer's
     * {@link org.tcpip4j.ipv6.Ipv6UndeliverableHandler}. Loop only.
     *
     * @param pointer a parameter problem's pointer; ignored otherwise
     * @return whether the message was sent
     */
    boolean sendError(int type, int code, int pointer, ByteBuffer datagram);

    /**
     * Sets where the ICMPv6 errors received about datagrams our transports sent go,
     * replacing the handler set before ({@code null} for none). Errors about our echo
     * requests fail the ping instead. Loop only.
     */
    void onError(IcmpErrorHandler handler);

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: pending pings fail. */
    CompletableFuture<Void> disconnect();
}
