package org.tcpip4j.arp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.arp.internal.wire.ArpPacket;
import org.tcpip4j.arp.internal.wire.ArpRejection;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;

/**
 * The default ARP layer (RFC 826): answers requests for our addresses, resolves others
 * with retried broadcast requests, and keeps what it learns in a bounded, expiring
 * {@link ArpCache}.
 *
 * <p>It learns a mapping only from a reply to one of its own queries or from a request
 * for one of our addresses, never from an unsolicited reply: a host cannot plant entries
 * in our cache by sending replies nobody asked for (RFC 826's "merge" of any packet is
 * the classic ARP spoofing vector).
 *
 * <p>All state lives on the event loop; {@link #query} and the address setters called
 * from another thread are handed to it.
 */
public final class DefaultArp implements Arp {

    private final Ethernet ethernet;
    private final ArpConfig config;
    private final EventLoop loop;
    private final long mac;
    private final long retryIntervalNanos;
    private final long lifetimeNanos;
    private final ArpCache cache;
    private final Map<Integer, Resolution> resolving = new HashMap<>();
    private final ArpPacket rxPacket = new ArpPacket();
    private final ArpWriter writer = new ArpWriter();

    private final Counters counters = new Counters("arp");
    private final Counters.Counter rxPackets = counters.counter("rx.packets");
    private final Map<ArpRejection, Counters.Counter> rxRejected = new EnumMap<>(ArpRejection.class);
    private final Counters.Counter rxRequests = counters.counter("rx.requests");
    private final Counters.Counter rxReplies = counters.counter("rx.replies");
    private final Counters.Counter rxNotForUs = counters.counter("rx.requests_not_for_us");
    private final Counters.Counter rxUnsolicited = counters.counter("rx.unsolicited_replies");
    private final Counters.Counter rxFromSelf = counters.counter("rx.from_self");
    private final Counters.Counter rxConflicts = counters.counter("rx.address_conflicts");
    private final Counters.Counter txRequests = counters.counter("tx.requests");
    private final Counters.Counter txReplies = counters.counter("tx.replies");
    private final Counters.Counter txAnnouncements = counters.counter("tx.announcements");
    private final Counters.Counter txErrors = counters.counter("tx.errors");
    private final Counters.Counter queryTimeouts = counters.counter("query.timeouts");
    private final Counters.Counter cacheLearned = counters.counter("cache.learned");
    private final Counters.Counter cacheEvictions = counters.counter("cache.evictions");

    /** Our addresses, replaced whole so any thread can read them. */
    private volatile List<Ipv4Address> ips = List.of();
    private boolean disconnected;

    /** An ARP layer over {@code ethernet}, answering for no address until {@link #setIps}. */
    public DefaultArp(Ethernet ethernet, ArpConfig config, StackContext context) {
        this.ethernet = ethernet;
        this.config = config;
        this.loop = context.loop();
        this.mac = ethernet.mac().bits();
        this.retryIntervalNanos = config.retryInterval().toNanos();
        this.lifetimeNanos = config.entryLifetime().toNanos();
        this.cache = new ArpCache(config.cacheSize());
        for (ArpRejection r : ArpRejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
    }

    @Override
    public void input(ByteBuffer packet) {
        rxPackets.increment();
        ArpPacket p = rxPacket.wrap(packet, packet.position(), packet.remaining());
        ArpRejection rejection = p.check();
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return;
        }
        if (disconnected) {
            return;
        }
        long senderMac = p.senderMac();
        int senderIp = p.senderIp();
        int targetIp = p.targetIp();
        if (senderMac == mac) {
            // Our own broadcast reflected back by a switch or a loopback device.
            rxFromSelf.increment();
            return;
        }
        if (isOurs(senderIp)) {
            // RFC 5227 2.4: another host claims one of our addresses. Counted; defending
            // the address is for a later version. Never learned.
            rxConflicts.increment();
            return;
        }
        if (p.operation() == ArpPacket.REQUEST) {
            rxRequests.increment();
            if (!isOurs(targetIp)) {
                rxNotForUs.increment();
                return;
            }
            // RFC 826: the requester will talk to us, so we learn its address; a probe
            // (RFC 5227 2.1.1, sender address 0.0.0.0) teaches nothing but is answered.
            if (senderIp != 0) {
                learn(senderIp, senderMac);
            }
            send(ArpPacket.REPLY, new MacAddress(senderMac), targetIp, senderMac, senderIp, txReplies);
        } else {
            rxReplies.increment();
            if (resolving.containsKey(senderIp)) {
                learn(senderIp, senderMac);
            } else {
                rxUnsolicited.increment();
            }
        }
    }

    private void learn(int ip, long senderMac) {
        ArpCache.Entry existing = cache.peek(ip);
        MacAddress learned = existing != null && existing.mac().bits() == senderMac
                ? existing.mac() : new MacAddress(senderMac);
        long before = cache.evictions();
        ArpCache.Entry entry = cache.put(ip, learned, loop.nanoTime() + lifetimeNanos);
        cacheEvictions.add(cache.evictions() - before);
        cacheLearned.increment();
        Resolution r = resolving.remove(ip);
        if (r != null) {
            r.timer.cancel();
            r.future.complete(entry.mac());
        }
    }

    private boolean isOurs(int ip) {
        List<Ipv4Address> ours = ips;
        for (int i = 0; i < ours.size(); i++) {
            if (ours.get(i).bits() == ip) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Ipv4Address> ips() {
        return ips;
    }

    @Override
    public CompletableFuture<Void> setIps(List<Ipv4Address> newIps) {
        List<Ipv4Address> copy = List.copyOf(new LinkedHashSet<>(newIps));
        return loop.call(() -> {
            List<Ipv4Address> old = ips;
            ips = copy;
            for (Ipv4Address ip : copy) {
                if (!old.contains(ip)) {
                    announce(ip);
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> addIp(Ipv4Address ip) {
        return loop.call(() -> {
            if (!ips.contains(ip)) {
                List<Ipv4Address> grown = new ArrayList<>(ips);
                grown.add(ip);
                ips = List.copyOf(grown);
            }
            announce(ip);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> removeIp(Ipv4Address ip) {
        return loop.call(() -> {
            List<Ipv4Address> shrunk = new ArrayList<>(ips);
            shrunk.remove(ip);
            ips = List.copyOf(shrunk);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** RFC 5227 2.3: a broadcast request for our own address updates every neighbour's cache. */
    private void announce(Ipv4Address ip) {
        if (!disconnected) {
            send(ArpPacket.REQUEST, MacAddress.BROADCAST, ip.bits(), 0, ip.bits(), txAnnouncements);
        }
    }

    @Override
    public CompletableFuture<MacAddress> query(Ipv4Address ip) {
        // The resolved case runs straight on the loop and allocates nothing; a call from
        // another thread is handed over.
        if (loop.inEventLoop()) {
            return queryOnLoop(ip);
        }
        return loop.call(() -> queryOnLoop(ip));
    }

    private CompletableFuture<MacAddress> queryOnLoop(Ipv4Address ip) {
        if (disconnected) {
            return CompletableFuture.failedFuture(new ArpException.Disconnected());
        }
        ArpCache.Entry entry = cache.lookup(ip.bits(), loop.nanoTime());
        if (entry != null) {
            return entry.resolved();
        }
        Resolution r = resolving.get(ip.bits());
        if (r != null) {
            return r.future;
        }
        Resolution started = new Resolution(ip);
        started.timer = loop.newTimer(() -> retry(started));
        resolving.put(ip.bits(), started);
        sendRequest(started);
        return started.future;
    }

    private void sendRequest(Resolution r) {
        r.requestsSent++;
        send(ArpPacket.REQUEST, MacAddress.BROADCAST, primaryIp(), 0, r.ip.bits(), txRequests);
        r.timer.schedule(retryIntervalNanos);
    }

    /**
     * The sender address of our requests: the first of ours (ARP does not know subnets),
     * or 0.0.0.0 before any is set, which makes the request a probe (RFC 5227 2.1.1).
     */
    private int primaryIp() {
        List<Ipv4Address> ours = ips;
        return ours.isEmpty() ? 0 : ours.get(0).bits();
    }

    private void retry(Resolution r) {
        if (resolving.get(r.ip.bits()) != r) {
            return;
        }
        if (r.requestsSent < config.retries()) {
            sendRequest(r);
            return;
        }
        resolving.remove(r.ip.bits());
        queryTimeouts.increment();
        r.future.completeExceptionally(new ArpException.Timeout(r.ip));
    }

    private void send(int operation, MacAddress dst, int senderIp, long targetMac, int targetIp,
                      Counters.Counter sent) {
        writer.set(operation, mac, senderIp, targetMac, targetIp);
        Result<EthernetError> result = ethernet.write(null, dst, EtherType.ARP, ArpPacket.LENGTH, writer);
        if (result.isOk()) {
            sent.increment();
        } else {
            txErrors.increment();
        }
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            if (!disconnected) {
                disconnected = true;
                List<Resolution> pending = new ArrayList<>(resolving.values());
                resolving.clear();
                cache.clear();
                for (Resolution r : pending) {
                    r.timer.cancel();
                    r.future.completeExceptionally(new ArpException.Disconnected());
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }
}
