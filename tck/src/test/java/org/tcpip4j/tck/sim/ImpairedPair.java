package org.tcpip4j.tck.sim;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
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
 * replays the same run frame for frame.
 */
final class ImpairedPair {

    static final Ipv4Address CLIENT = Ipv4Address.parse("198.18.1.1");
    static final Ipv4Address SERVER = Ipv4Address.parse("198.18.1.2");

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
        MemorySwitch network = new MemorySwitch(loop);
        SplittableRandom random = new SplittableRandom(seed);
        clientLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:01:01")), impairment,
                random.split());
        serverLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:01:02")), impairment,
                random.split());
        client = DirectStackBuilder.on(clientLink).address(new Ipv4Cidr(CLIENT, 24)).name("sim-client")
                .seed(random.nextLong()).udpConfig(udpConfig).build();
        server = DirectStackBuilder.on(serverLink).address(new Ipv4Cidr(SERVER, 24)).name("sim-server")
                .seed(random.nextLong()).udpConfig(udpConfig).build();
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
