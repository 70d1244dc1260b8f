package org.tcpip4j.icmp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Result;

/**
 * ICMPV4 (RFC 792, RFC 1122; Mirage's {@code Icmp.S}): answers echo requests, sends
 * echo requests of its own ({@link #ping}), and writes ICMP messages.
 */
public interface Icmpv4 {

    /**
     * Handles one received ICMP message (the buffer's position..limit). Loop only.
     *
     * @param src the sender
     * @param dst the address the datagram was sent to
     */
    void input(IpAddress src, IpAddress dst, ByteBuffer message);

    /**
     * Writes one ICMP message (Mirage's {@code write ?src ~dst ?ttl buf}): the message's
     * bytes from position to limit, checksum included. Loop only.
     *
     * @param src the source address, or {@code null} for the layer's choice
     * @param ttl the TTL, or -1 for the default
     */
    Result<IpError> write(Ipv4Address src, Ipv4Address dst, int ttl, ByteBuffer message);

    /**
     * Sends one echo request with {@code payloadSize} bytes of payload to {@code dst}.
     *
     * @return a future completing with the round-trip time when the matching reply comes,
     *     or failing with {@link IcmpException.Timeout} after {@code timeout}, or with
     *     {@link IcmpException.SendFailed} when the request could not be sent
     */
    CompletableFuture<Duration> ping(Ipv4Address dst, int payloadSize, Duration timeout);

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: pending pings fail. */
    CompletableFuture<Void> disconnect();
}
