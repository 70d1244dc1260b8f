package org.tcpip4j.icmp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IcmpErrorHandler;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Result;

/**
 * ICMPV4 (RFC 792, RFC 1122; Mirage's {@code Icmp.S}): answers echo requests, sends
 * echo requests of its own ({@link #ping}), writes ICMP messages, generates the errors
 * other layers ask for ({@link #sendError}) and delivers the errors it receives
 * ({@link #onError}).
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
     * Sends one echo request with {@code payloadSize} bytes of payload to {@code dst}. The
     * layer's requests carry sequence numbers 1, 2, 3, ... in the order they are sent (as
     * Linux's ping numbers them), modulo 65536.
     *
     * @return a future completing with the round-trip time when the matching reply comes,
     *     or failing with {@link IcmpException.Timeout} after {@code timeout}, or with
     *     {@link IcmpException.SendFailed} when the request could not be sent
     */
    CompletableFuture<Duration> ping(Ipv4Address dst, int payloadSize, Duration timeout);

    /**
     * Sends the ICMP error {@code kind} about a received datagram (RFC 792, RFC 1122
     * 3.2.2), quoting its header and the start of its payload, unless a rule forbids one
     * (the datagram is an ICMP error, was sent to a broadcast or multicast address, is a
     * non-initial fragment, or comes from an address that is not one host) or the rate
     * limit of {@link IcmpConfig} holds it back; either is counted. The stack registers
     * this as the IPv4 layer's {@link org.tcpip4j.ipv4.UndeliverableHandler}. Loop only.
     *
     * @param kind protocol, port, network, host unreachable, source route failed,
     *     administratively prohibited, TTL or reassembly time exceeded
     * @param datagram the received datagram from its IP header on (position..limit); only
     *     read during the call
     * @return whether the message was sent
     * @throws IllegalArgumentException for fragmentation needed, parameter problem and
     *     other unreachables, which need data a host does not have
     */
    boolean sendError(IcmpError.Kind kind, ByteBuffer datagram);

    /**
     * Sets where the ICMP errors received about datagrams our transports sent go, replacing
     * the handler set before ({@code null} for none): the stack routes each to the quoted
     * protocol's layer ({@code Udp::icmpError}, {@code Tcp::icmpError}). Errors about our
     * echo requests are not handed over: they fail the ping with
     * {@link IcmpException.ErrorReported}. Fragmentation needed also lowers the IPv4 layer's
     * path MTU to the quoted destination (RFC 1191). Loop only.
     */
    void onError(IcmpErrorHandler handler);

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: pending pings fail. */
    CompletableFuture<Void> disconnect();
}
