package org.tcpip4j.arp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.arp.internal.wire.ArpPacket;
import org.tcpip4j.arp.internal.wire.ArpRejection;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ip.AddressKind;
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
 * <p>An entry still in use near the end of its lifetime is refreshed with unicast
 * requests to the MAC it holds (RFC 1122 2.3.2.1, Linux's "probe" state), and the reply,
 * from that MAC only, renews it. Static entries ({@link #addStatic}) are never learned
 * over, expired or evicted. With {@link ArpConfig#probeBeforeUse()} new addresses are
 * probed before use ({@link AddressProbe}, RFC 5227).
 *
 * <p>All state lives on the event loop; {@link #query} and the address setters called
 * from another thread are handed to it.
 */
public final class DefaultArp implements Arp {

    /**
     * Resolutions, at DEBUG: an address resolved or learned (or its MAC changed), a
     * resolution that timed out or was given up; nothing per packet. A logger of its own,
     * so that it can be turned on alone.
     */
    static final Logger RESOLUTION_LOG = LoggerFactory.getLogger("org.tcpip4j.arp.resolution");

    private final String name;
    private final Ethernet ethernet;
    private final ArpConfig config;
    private final EventLoop loop;
    private final long mac;
    private final long retryIntervalNanos;
    private final long lifetimeNanos;
    private final long refreshWindowNanos;
    private final RandomGenerator random;
    private final ArpCache cache;
    // Insertion order: the eldest is the first given up when too many addresses resolve.
    private final Map<Integer, Resolution> resolving = new LinkedHashMap<>();
    private final Map<Integer, AddressProbe> probing = new HashMap<>();
    private final AddressProbe.Actions probeActions = new ProbeActions();
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
    private final Counters.Counter rxBadSender = counters.counter("rx.bad_sender");
    private final Counters.Counter rxConflicts = counters.counter("rx.address_conflicts");
    private final Counters.Counter rxProbeConflicts = counters.counter("rx.probe_conflicts");
    private final Counters.Counter rxStaticKept = counters.counter("rx.static_entry_kept");
    private final Counters.Counter txRequests = counters.counter("tx.requests");
    private final Counters.Counter txReplies = counters.counter("tx.replies");
    private final Counters.Counter txAnnouncements = counters.counter("tx.announcements");
    private final Counters.Counter txProbes = counters.counter("tx.probes");
    private final Counters.Counter txRefreshes = counters.counter("tx.refreshes");
    private final Counters.Counter txErrors = counters.counter("tx.errors");
    private final Counters.Counter queryTimeouts = counters.counter("query.timeouts");
    private final Counters.Counter queryEvicted = counters.counter("query.evicted");
    private final Counters.Counter pendingGauge = counters.counter("query.pending");
    private final Counters.Counter cacheLearned = counters.counter("cache.learned");
    private final Counters.Counter cacheRefreshed = counters.counter("cache.refreshed");
    private final Counters.Counter cacheEvictions = counters.counter("cache.evictions");

    /** Our addresses, replaced whole so any thread can read them. */
    private volatile List<Ipv4Address> ips = List.of();
    private boolean disconnected;

    /** An ARP layer over {@code ethernet}, answering for no address until {@link #setIps}. */
    public DefaultArp(Ethernet ethernet, ArpConfig config, StackContext context) {
        this.ethernet = ethernet;
        this.config = config;
        this.name = context.name();
        this.loop = context.loop();
        this.mac = ethernet.mac().bits();
        this.retryIntervalNanos = config.retryInterval().toNanos();
        this.lifetimeNanos = config.entryLifetime().toNanos();
        // The last stretch of an entry's life in which using it sends refresh requests: as
        // long as a failed query takes, and never more than half the lifetime.
        this.refreshWindowNanos = Math.min(config.retries() * retryIntervalNanos, lifetimeNanos / 2);
        this.random = context.random();
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
        if (senderIp != 0 && !AddressKind.ofIpv4(senderIp).isOneHost()) {
            // A broadcast, multicast, loopback or reserved sender names no neighbour: never
            // learned, never answered (Linux's arp_process drops them too).
            rxBadSender.increment();
            return;
        }
        if (!probing.isEmpty() && probeConflict(p.operation(), senderMac, senderIp, targetIp)) {
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
            ArpCache.Entry entry;
            if (resolving.containsKey(senderIp)) {
                learn(senderIp, senderMac);
            } else if ((entry = cache.peek(senderIp)) != null && entry.refreshing && entry.mac().bits() == senderMac) {
                // The answer to our unicast refresh, from the MAC we asked.
                cacheRefreshed.increment();
                learn(senderIp, senderMac);
            } else {
                rxUnsolicited.increment();
            }
        }
    }

    /**
     * RFC 5227 2.1.1: while probing an address, any packet whose sender is that address,
     * or a probe for it from another host, means it is taken. True when the packet was such
     * a conflict (it is not processed further when it was a probe).
     */
    private boolean probeConflict(int operation, long senderMac, int senderIp, int targetIp) {
        AddressProbe probe = probing.get(senderIp);
        boolean aProbe = operation == ArpPacket.REQUEST && senderIp == 0;
        if (probe == null && aProbe) {
            probe = probing.get(targetIp);
        }
        if (probe == null || probe.claimed()) {
            return false;
        }
        rxProbeConflicts.increment();
        probe.conflict(new MacAddress(senderMac));
        return aProbe;
    }

    private void learn(int ip, long senderMac) {
        ArpCache.Entry existing = cache.peek(ip);
        if (existing != null && existing.permanent) {
            // A static entry is the user's word: no packet changes it.
            rxStaticKept.increment();
            return;
        }
        MacAddress learned = existing != null && existing.mac().bits() == senderMac
                ? existing.mac() : new MacAddress(senderMac);
        long before = cache.evictions();
        ArpCache.Entry entry = cache.put(ip, learned, loop.nanoTime() + lifetimeNanos);
        cacheEvictions.add(cache.evictions() - before);
        cacheLearned.increment();
        Resolution r = resolving.remove(ip);
        if (RESOLUTION_LOG.isDebugEnabled()) {
            if (r != null) {
                RESOLUTION_LOG.debug("{}: ARP resolved {} is at {} ({} request(s))", name, r.ip, learned,
                        r.requestsSent);
            } else if (existing == null) {
                RESOLUTION_LOG.debug("{}: ARP learned {} is at {}", name, new Ipv4Address(ip), learned);
            } else if (existing.mac() != learned) {
                RESOLUTION_LOG.debug("{}: ARP {} moved from {} to {}", name, new Ipv4Address(ip), existing.mac(),
                        learned);
            }
        }
        if (r != null) {
            updatePendingGauge();
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
            for (AddressProbe probe : List.copyOf(probing.values())) {
                if (!copy.contains(probe.ip)) {
                    stopProbe(probe, removed(probe));
                }
            }
            List<Ipv4Address> old = ips;
            List<CompletableFuture<Void>> probes = new ArrayList<>();
            if (config.probeBeforeUse()) {
                // Addresses kept stay in use; new ones join once their probe succeeds.
                ips = copy.stream().filter(old::contains).toList();
                for (Ipv4Address ip : copy) {
                    if (!old.contains(ip)) {
                        probes.add(probe(ip));
                    }
                }
            } else {
                ips = copy;
                for (Ipv4Address ip : copy) {
                    if (!old.contains(ip)) {
                        announce(ip);
                    }
                }
            }
            return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
        });
    }

    @Override
    public CompletableFuture<Void> addIp(Ipv4Address ip) {
        return loop.call(() -> {
            if (ips.contains(ip)) {
                announce(ip);
                return CompletableFuture.completedFuture(null);
            }
            if (config.probeBeforeUse()) {
                return probe(ip);
            }
            claimAddress(ip);
            announce(ip);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> removeIp(Ipv4Address ip) {
        return loop.call(() -> {
            AddressProbe probe = probing.get(ip.bits());
            if (probe != null) {
                stopProbe(probe, removed(probe));
            }
            List<Ipv4Address> shrunk = new ArrayList<>(ips);
            shrunk.remove(ip);
            ips = List.copyOf(shrunk);
            return CompletableFuture.completedFuture(null);
        });
    }

    private void claimAddress(Ipv4Address ip) {
        if (!ips.contains(ip)) {
            List<Ipv4Address> grown = new ArrayList<>(ips);
            grown.add(ip);
            ips = List.copyOf(grown);
        }
    }

    /** Starts probing {@code ip}, or joins the probe already running for it. */
    private CompletableFuture<Void> probe(Ipv4Address ip) {
        AddressProbe running = probing.get(ip.bits());
        if (running != null) {
            return running.future;
        }
        AddressProbe probe = new AddressProbe(ip, loop, random, probeActions);
        probing.put(ip.bits(), probe);
        probe.start();
        return probe.future;
    }

    private void stopProbe(AddressProbe probe, Throwable why) {
        probing.remove(probe.ip.bits());
        probe.cancel(why);
    }

    private static CancellationException removed(AddressProbe probe) {
        return new CancellationException("probe of " + probe.ip + " stopped: the address was removed");
    }

    /** What the probes of {@link AddressProbe} do to this layer. */
    private final class ProbeActions implements AddressProbe.Actions {
        @Override
        public void sendProbe(Ipv4Address ip) {
            send(ArpPacket.REQUEST, MacAddress.BROADCAST, 0, 0, ip.bits(), txProbes);
        }

        @Override
        public void claim(Ipv4Address ip) {
            claimAddress(ip);
        }

        @Override
        public void announce(Ipv4Address ip) {
            DefaultArp.this.announce(ip);
        }

        @Override
        public void ended(AddressProbe probe) {
            probing.remove(probe.ip.bits(), probe);
        }
    }

    @Override
    public CompletableFuture<Void> addStatic(Ipv4Address ip, MacAddress staticMac) {
        java.util.Objects.requireNonNull(ip, "ip");
        java.util.Objects.requireNonNull(staticMac, "mac");
        return loop.call(() -> {
            ArpCache.Entry entry = cache.putStatic(ip.bits(), staticMac);
            Resolution r = resolving.remove(ip.bits());
            if (r != null) {
                updatePendingGauge();
                r.timer.cancel();
                r.future.complete(entry.mac());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> removeStatic(Ipv4Address ip) {
        return loop.call(() -> {
            cache.removeStatic(ip.bits());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public ArpConfig config() {
        return config;
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
        long now = loop.nanoTime();
        ArpCache.Entry entry = cache.lookup(ip.bits(), now);
        if (entry != null) {
            if (!entry.permanent && entry.expiresAt - now <= refreshWindowNanos) {
                refresh(entry, now);
            }
            return entry.resolved();
        }
        Resolution r = resolving.get(ip.bits());
        if (r != null) {
            return r.future;
        }
        if (resolving.size() >= config.maxPendingResolutions()) {
            evictOldestResolution();
        }
        Resolution started = new Resolution(ip);
        started.timer = loop.newTimer(() -> retry(started));
        resolving.put(ip.bits(), started);
        updatePendingGauge();
        sendRequest(started);
        return started.future;
    }

    /**
     * Gives up the resolution that started first, to bound the resolutions under way: a
     * flood of datagrams needing answers to spoofed on-link addresses would otherwise grow
     * them (and their timers) without limit. Its queries fail with
     * {@link ArpException.Evicted}.
     */
    private void evictOldestResolution() {
        Resolution oldest = resolving.values().iterator().next();
        resolving.remove(oldest.ip.bits());
        updatePendingGauge();
        oldest.timer.cancel();
        queryEvicted.increment();
        if (RESOLUTION_LOG.isDebugEnabled()) {
            RESOLUTION_LOG.debug("{}: ARP gave up resolving {}: too many resolutions under way", name, oldest.ip);
        }
        oldest.future.completeExceptionally(new ArpException.Evicted(oldest.ip));
    }

    /**
     * RFC 1122 2.3.2.1: an entry in use is revalidated before it expires, with a unicast
     * request to the MAC it holds, one per retry interval, so that traffic to a neighbour
     * that is still there never stalls on a broadcast resolution.
     */
    private void refresh(ArpCache.Entry entry, long now) {
        if (entry.refreshing && now - entry.refreshSentAt < retryIntervalNanos) {
            return;
        }
        entry.refreshing = true;
        entry.refreshSentAt = now;
        send(ArpPacket.REQUEST, entry.mac(), primaryIp(), 0, entry.ip, txRefreshes);
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
        updatePendingGauge();
        queryTimeouts.increment();
        if (RESOLUTION_LOG.isDebugEnabled()) {
            RESOLUTION_LOG.debug("{}: ARP timeout: no answer for {} after {} request(s)", name, r.ip, r.requestsSent);
        }
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

    /** Sets the gauge of resolutions under way to the state now (a counter reset is corrected here). */
    private void updatePendingGauge() {
        pendingGauge.add(resolving.size() - pendingGauge.get());
    }

    /** Addresses resolving now (for tests and status). */
    int pendingResolutions() {
        return resolving.size();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            if (!disconnected) {
                disconnected = true;
                List<Resolution> pending = new ArrayList<>(resolving.values());
                resolving.clear();
                updatePendingGauge();
                cache.clear();
                for (AddressProbe probe : List.copyOf(probing.values())) {
                    stopProbe(probe, new ArpException.Disconnected());
                }
                for (Resolution r : pending) {
                    r.timer.cancel();
                    r.future.completeExceptionally(new ArpException.Disconnected());
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }
}
