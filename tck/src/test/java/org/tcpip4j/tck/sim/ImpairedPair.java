package org.tcpip4j.tck.sim;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.udp.UdpConfig;

/**
 * Two direct stacks on an in-memory switch, each behind an {@link ImpairedNetif} that
 * impairs what it sends, on one {@link VirtualTimeEventLoop} owned by the test thread.
 * Everything random (impairments, ports, IP identifiers) comes from {@code seed}, so a seed
 * replays the same run frame for frame. Dual stacks, with {@link #CLIENT6} and {@link #SERVER6}
 * besides, on request; the IPv4 addresses, MACs and the draws from {@code seed} are the same
 * either way.
 */
final class ImpairedPair {

    static final Ipv4Address CLIENT = Ipv4Address.parse("198.18.1.1");
    static final Ipv4Address SERVER = Ipv4Address.parse("198.18.1.2");
    static final Ipv6Address CLIENT6 = Ipv6Address.parse("2001:2:0:3::1");
    static final Ipv6Address SERVER6 = Ipv6Address.parse("2001:2:0:3::2");

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final ImpairedNetif clientLink;
    final ImpairedNetif serverLink;
    final DirectStack client;
    final DirectStack server;

    /** Both directions impaired alike. */
    ImpairedPair(long seed, Impairment impairment) {
        this(seed, impairment, UdpConfig.DEFAULT);
    }

    ImpairedPair(long seed, Impairment impairment, UdpConfig udpConfig) {
        this(seed, impairment, udpConfig, false);
    }

    /**
     * With {@code dualStack}, both stacks get an IPv6 address too, and the loop runs until
     * Duplicate Address Detection has ended for both (RFC 4862 5.4) and both addresses are usable.
     */
    ImpairedPair(long seed, Impairment impairment, UdpConfig udpConfig, boolean dualStack) {
        MemorySwitch network = new MemorySwitch(loop);
        SplittableRandom random = new SplittableRandom(seed);
        clientLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:01:01")), impairment,
                random.split());
        serverLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:01:02")), impairment,
                random.split());
        DirectStackBuilder clientBuilder = DirectStackBuilder.on(clientLink).address(new Ipv4Cidr(CLIENT, 24))
                .name("sim-client").seed(random.nextLong()).udpConfig(udpConfig);
        DirectStackBuilder serverBuilder = DirectStackBuilder.on(serverLink).address(new Ipv4Cidr(SERVER, 24))
                .name("sim-server").seed(random.nextLong()).udpConfig(udpConfig);
        if (dualStack) {
            clientBuilder.address6(new Ipv6Cidr(CLIENT6, 64));
            serverBuilder.address6(new Ipv6Cidr(SERVER6, 64));
        }
        client = clientBuilder.build();
        server = serverBuilder.build();
        if (dualStack) {
            awaitAddressesReady();
        }
    }

    private void awaitAddressesReady() {
        loop.runUntil(() -> client.ipv6().orElseThrow().addressesReady().isDone()
                && server.ipv6().orElseThrow().addressesReady().isDone(), Duration.ofMinutes(1).toNanos());
        if (!client.ipv6().orElseThrow().cidrs().contains(new Ipv6Cidr(CLIENT6, 64))
                || !server.ipv6().orElseThrow().cidrs().contains(new Ipv6Cidr(SERVER6, 64))) {
            throw new AssertionError("an IPv6 address did not pass DAD: " + client.ipv6().orElseThrow().addressInfo()
                    + " " + server.ipv6().orElseThrow().addressInfo());
        }
    }

    /** The client's address of the IP version of {@code ipv6}. */
    static IpAddress client(boolean ipv6) {
        return ipv6 ? CLIENT6 : CLIENT;
    }

    /** The server's address of the IP version of {@code ipv6}. */
    static IpAddress server(boolean ipv6) {
        return ipv6 ? SERVER6 : SERVER;
    }

    /** Runs the simulation until {@code future} completes, for at most {@code bound} of virtual time. */
    <T> T await(CompletableFuture<T> future, Duration bound) {
        try {
            return loop.await(future, bound);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not done after " + bound + " of virtual time");
        }
    }

    /**
     * Resolves each stack's link address at the other before a run, asking again while
     * requests are lost, so that what a run measures is UDP over the impaired link and not
     * ARP's retries (datagrams waiting for a resolution are few and bounded).
     */
    void resolveBothWays() {
        resolve(client, SERVER);
        resolve(server, CLIENT);
    }

    /**
     * {@link #resolveBothWays()} for IPv6: Neighbor Discovery (RFC 4861 7.2) has no query of
     * its own here, so a one-byte datagram to {@code port} (where nothing need listen) goes
     * each way, again while a solicitation or its answer is lost, until each stack's neighbor
     * cache holds the other's link address.
     */
    void resolveBothWays6(int port) {
        resolve6(client, SERVER6, port);
        resolve6(server, CLIENT6, port);
    }

    private void resolve6(DirectStack from, Ipv6Address to, int port) {
        for (int attempt = 1; ; attempt++) {
            from.udp().write(null, port, to, port, -1, ByteBuffer.allocate(1));
            loop.runFor(Duration.ofSeconds(5));
            if (from.ipv6().orElseThrow().neighbors().stream().anyMatch(n -> n.address().equals(to) && n.mac() != null)) {
                return;
            }
            if (attempt == 10) {
                throw new AssertionError(from + " could not resolve " + to + " in " + attempt + " tries");
            }
        }
    }

    private void resolve(DirectStack from, Ipv4Address to) {
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<MacAddress> query = from.arp().query(to);
            loop.runUntil(query::isDone, Duration.ofSeconds(10).toNanos());
            if (query.isDone() && !query.isCompletedExceptionally()) {
                return;
            }
            if (attempt == 10) {
                throw new AssertionError(from + " could not resolve " + to + " in " + attempt + " queries");
            }
        }
    }

    /** A counter of one of {@code stack}'s layers. */
    static long counter(DirectStack stack, String layer, String name) {
        return stack.counters().get(layer).getOrDefault(name, 0L);
    }

    /** Disconnects both stacks and lets the timers they leave (held frames, reassembly) run out. */
    void close() {
        await(client.disconnect(), Duration.ofSeconds(10));
        await(server.disconnect(), Duration.ofSeconds(10));
        loop.runFor(Duration.ofMinutes(2));
    }
}
