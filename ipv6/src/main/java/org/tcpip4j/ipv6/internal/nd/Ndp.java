package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6AddressInfo.Origin;
import org.tcpip4j.ipv6.Ipv6AddressInfo.State;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.internal.NdOutput;
import org.tcpip4j.ipv6.internal.NeighborDiscovery;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.Timer;

/**
 * Neighbor Discovery for a host (RFC 4861), with Duplicate Address Detection and stateless
 * address autoconfiguration (RFC 4862, identifiers of RFC 7217) and the MLDv2 reports of
 * the groups it joins ({@link Mld}), behaving as Linux's {@code ndisc.c} and
 * {@code addrconf.c} do where the RFCs leave a choice.
 *
 * <p>It keeps the conceptual data structures of RFC 4861 5.1: the {@link NeighborCache},
 * the destination cache of redirects (bounded like the neighbor cache), the prefix list
 * (the static addresses' prefixes and the on-link prefixes advertised) and the default
 * router list (bounded, a statically configured router always used first); and the
 * interface's addresses: the link-local one from the MAC (modified EUI-64), the static
 * ones, and those SLAAC forms from advertised /64 prefixes, each TENTATIVE until DAD ends,
 * then PREFERRED, DEPRECATED when its preferred lifetime ends, gone with its valid one.
 *
 * <p>The output path ({@link #nextHop}, {@link #linkAddress}, {@link #isLocal},
 * {@link #sourceFor}) allocates nothing once a neighbor is known. Loop only, but for the
 * address views, which are published whole on each change.
 */
public final class Ndp implements NeighborDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(Ndp.class);

    static final long SECOND = 1_000_000_000L;
    /** RFC 4861 10: the host constants. */
    static final long RETRANS_TIMER = SECOND;
    static final long BASE_REACHABLE_TIME = 30 * SECOND;
    static final long MAX_REACHABLE_TIME_MS = 3_600_000L;
    static final long MAX_RTR_SOLICITATION_DELAY = SECOND;
    static final long RTR_SOLICITATION_INTERVAL = 4 * SECOND;
    static final int MAX_RTR_SOLICITATIONS = 3;
    /** RFC 4862 5.5.3 (e): the valid lifetime an advertisement cannot cut below. */
    static final long TWO_HOURS = 7200 * SECOND;
    /** The link-local prefix of every address formed from an interface identifier. */
    static final int LINK_LOCAL_PREFIX = 64;

    /** One of our addresses. */
    private final class Local {
        final Ipv6Cidr cidr;
        final Ipv6Address address;
        final Origin origin;
        State state = State.TENTATIVE;
        long preferredUntil = Long.MAX_VALUE;
        long validUntil = Long.MAX_VALUE;
        /** SLAAC: the /64 prefix's high bits and RFC 7217's DAD_Counter. */
        long prefixHigh;
        int dadCounter;
        int probesSent;
        long nonce = NdMessage.NONE;
        final Timer dadTimer;
        final Timer lifetimeTimer;

        Local(Ipv6Cidr cidr, Origin origin) {
            this.cidr = cidr;
            this.address = cidr.address().withoutZone();
            this.origin = origin;
            this.dadTimer = loop.newTimer(() -> dadStep(this));
            this.lifetimeTimer = loop.newTimer(() -> lifetimeExpired(this));
        }

        boolean usable() {
            return state == State.PREFERRED || state == State.DEPRECATED;
        }
    }

    /** An entry of the default router list (RFC 4861 6.3.4). */
    private final class Router {
        final Ipv6Address address;
        final Timer timer;

        Router(Ipv6Address address) {
            this.address = address;
            this.timer = loop.newTimer(() -> removeRouter(this));
        }
    }

    /** An on-link prefix advertised (RFC 4861 6.3.4), until its valid lifetime ends. */
    private final class Prefix {
        final Ipv6Cidr cidr;
        final Timer timer;

        Prefix(Ipv6Cidr cidr) {
            this.cidr = cidr;
            this.timer = loop.newTimer(() -> removePrefix(this));
        }
    }

    /** An address as the thread-safe views show it. */
    private record Published(Ipv6Cidr cidr, Origin origin, State state, long preferredUntil, long validUntil) {
    }

    private final Ethernet ethernet;
    private final Ipv6Config config;
    private final StackContext context;
    private final EventLoop loop;
    private final RandomGenerator random;
    private final NdOutput output;
    private final long mac;
    private final byte[] secret;
    private final NeighborCache cache;
    private final Mld mld;

    private final List<Local> addresses = new ArrayList<>();
    private final Map<Ipv6Address, Local> byAddress = new HashMap<>();
    private final List<Router> routers = new ArrayList<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    /** Every on-link prefix, static and advertised, for {@link #nextHop}. */
    private final List<Ipv6Cidr> onLink = new ArrayList<>();
    private final List<Ipv6Cidr> staticPrefixes = new ArrayList<>();
    private final Map<Ipv6Address, Ipv6Address> redirects;
    private final Timer rsTimer;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private int linkMtu;
    private int curHopLimit;
    private long retransNanos = RETRANS_TIMER;
    private long baseReachableNanos = BASE_REACHABLE_TIME;
    private long reachableNanos;
    private int routerChoice;
    private int rsSent;
    private boolean rsDone;
    private boolean started;
    private boolean stopped;

    private volatile List<Published> published = List.of();
    private volatile List<Ipv6Cidr> usableCidrs = List.of();
    private volatile List<IpAddress> usableIps = List.of();
    private volatile List<Ipv6Address> routerView = List.of();

    private final Counters.Counter rxInvalid;
    private final Map<NdRejection, Counters.Counter> rxRejected = new EnumMap<>(NdRejection.class);
    private final Counters.Counter rxRs;
    private final Counters.Counter rxRa;
    private final Counters.Counter rxRaIgnored;
    private final Counters.Counter rxRaBadMtu;
    private final Counters.Counter rxNs;
    private final Counters.Counter rxNsNotForUs;
    private final Counters.Counter rxDadLooped;
    private final Counters.Counter rxNa;
    private final Counters.Counter rxNaForOurs;
    private final Counters.Counter rxRedirect;
    private final Counters.Counter rxRedirectIgnored;
    private final Counters.Counter rxMldQuery;
    private final Counters.Counter rxMldReport;
    private final Counters.Counter txRs;
    private final Counters.Counter txNs;
    private final Counters.Counter txNa;
    private final Counters.Counter txNoSource;
    private final Counters.Counter txErrors;
    private final Counters.Counter dadProbes;
    private final Counters.Counter dadDuplicates;
    private final Counters.Counter slaacAddresses;
    private final Counters.Counter slaacIgnored;
    private final Counters.Counter routersFull;
    private final Counters.Counter prefixesFull;

    /** Neighbor Discovery for the layer over {@code ethernet}; nothing happens before {@link #start}. */
    public Ndp(Ethernet ethernet, Ipv6Config config, StackContext context, NdOutput output, Counters counters) {
        this.ethernet = ethernet;
        this.config = config;
        this.context = context;
        this.loop = context.loop();
        this.random = context.random();
        this.output = output;
        this.mac = ethernet.mac().bits();
        byte[] s = config.stableSecret();
        if (s == null) {
            s = new byte[16];
            context.secrets().nextBytes(s);
        }
        this.secret = s;
        this.linkMtu = ethernet.mtu();
        this.curHopLimit = config.defaultHopLimit();
        this.reachableNanos = randomReachable(baseReachableNanos);
        int bound = config.neighborCacheSize();
        this.redirects = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Ipv6Address, Ipv6Address> eldest) {
                return size() > bound;
            }
        };
        this.rsTimer = loop.newTimer(this::solicitRouter);
        this.cache = new NeighborCache(loop, new CacheActions(), config.neighborCacheSize(),
            config.maxHeldPerNeighbor(), counters);
        this.mld = new Mld(ethernet, loop, random, this::sendReport, linkMtu, counters);
        rxInvalid = counters.counter("rx.nd_invalid");
        for (NdRejection r : NdRejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
        rxRs = counters.counter("rx.rs");
        rxRa = counters.counter("rx.ra");
        rxRaIgnored = counters.counter("rx.ra_ignored");
        rxRaBadMtu = counters.counter("rx.ra_bad_mtu");
        rxNs = counters.counter("rx.ns");
        rxNsNotForUs = counters.counter("rx.ns_not_for_us");
        rxDadLooped = counters.counter("rx.dad_looped_back");
        rxNa = counters.counter("rx.na");
        rxNaForOurs = counters.counter("rx.na_for_our_address");
        rxRedirect = counters.counter("rx.redirect");
        rxRedirectIgnored = counters.counter("rx.redirect_ignored");
        rxMldQuery = counters.counter("rx.mld_query");
        rxMldReport = counters.counter("rx.mld_report");
        txRs = counters.counter("tx.rs");
        txNs = counters.counter("tx.ns");
        txNa = counters.counter("tx.na");
        txNoSource = counters.counter("tx.ns_no_source");
        txErrors = counters.counter("tx.nd_errors");
        dadProbes = counters.counter("dad.probes");
        dadDuplicates = counters.counter("dad.duplicates");
        slaacAddresses = counters.counter("slaac.addresses");
        slaacIgnored = counters.counter("slaac.prefixes_ignored");
        routersFull = counters.counter("nd.routers_full");
        prefixesFull = counters.counter("nd.prefixes_full");
        for (Ipv6Cidr c : config.addresses()) {
            Ipv6Cidr network = new Ipv6Cidr(c.network(), c.prefix());
            if (!staticPrefixes.contains(network)) {
                staticPrefixes.add(network);
            }
        }
        onLink.addAll(staticPrefixes);
    }

    private long randomReachable(long base) {
        // RFC 4861 6.3.2: uniformly between MIN_RANDOM_FACTOR (0.5) and MAX_RANDOM_FACTOR (1.5) times the base.
        return base / 2 + random.nextLong(base + 1);
    }

    // ---------------------------------------------------------------- start, stop

    @Override
    public void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        mld.join(Ipv6Address.ALL_NODES);
        addAddress(new Local(new Ipv6Cidr(InterfaceIds.linkLocal(mac), LINK_LOCAL_PREFIX), Origin.LINK_LOCAL));
        for (Ipv6Cidr c : config.addresses()) {
            if (!byAddress.containsKey(c.address().withoutZone())) {
                addAddress(new Local(new Ipv6Cidr(c.address().withoutZone(), c.prefix()), Origin.STATIC));
            }
        }
        updateReady();
        if (config.solicitRouters()) {
            rsTimer.schedule(random.nextLong(MAX_RTR_SOLICITATION_DELAY + 1));
        }
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        rsTimer.cancel();
        for (Local a : addresses) {
            a.dadTimer.cancel();
            a.lifetimeTimer.cancel();
        }
        for (Router r : routers) {
            r.timer.cancel();
        }
        for (Prefix p : prefixes) {
            p.timer.cancel();
        }
        mld.stop();
        cache.clear();
    }

    // ---------------------------------------------------------------- the output path

    @Override
    public Ipv6Address nextHop(Ipv6Address dst) {
        if (dst.isMulticast() || dst.isLinkLocal()) {
            return dst;
        }
        if (!redirects.isEmpty()) {
            Ipv6Address redirected = redirects.get(dst);
            if (redirected != null) {
                return redirected;
            }
        }
        for (int i = 0; i < onLink.size(); i++) {
            if (onLink.get(i).contains(dst)) {
                return dst;
            }
        }
        return chooseRouter();
    }

    /**
     * RFC 4861 6.3.6: the configured router; else the first router of the list that is
     * reachable or probably reachable (its neighbor entry in any state but INCOMPLETE); else
     * the routers in turn, the next one after each whose resolution failed.
     */
    private Ipv6Address chooseRouter() {
        Ipv6Address configured = config.defaultRouter();
        if (configured != null) {
            return configured;
        }
        int n = routers.size();
        if (n == 0) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            Router r = routers.get(i);
            NeighborCache.Entry e = cache.peek(r.address);
            if (e != null && e.state != Ipv6Neighbor.State.INCOMPLETE) {
                return r.address;
            }
        }
        return routers.get(Math.floorMod(routerChoice, n)).address;
    }

    @Override
    public long linkAddress(Ipv6Address nextHop) {
        if (nextHop.isMulticast()) {
            return Mld.macOf(nextHop);
        }
        if (stopped) {
            return NdOutput.RESOLVE;
        }
        long m = cache.resolve(nextHop);
        return m == NdMessage.NONE ? NdOutput.RESOLVE : m;
    }

    @Override
    public boolean hold(Ipv6Address nextHop, ByteBuffer datagram) {
        if (stopped) {
            return false;
        }
        return cache.hold(nextHop, datagram);
    }

    @Override
    public void confirmReachable(Ipv6Address neighbor) {
        cache.confirm(neighbor);
    }

    @Override
    public boolean isLocal(Ipv6Address dst) {
        if (dst.isMulticast()) {
            return mld.joined(dst);
        }
        Local a = byAddress.get(dst);
        return a != null && a.usable();
    }

    @Override
    public Ipv6Address sourceFor(Ipv6Address dst) {
        Local best = null;
        for (int i = 0; i < addresses.size(); i++) {
            Local a = addresses.get(i);
            if (!a.usable()) {
                continue;
            }
            if (a.address.equals(dst)) {
                return a.address; // rule 1
            }
            if (best == null || better(a, best, dst)) {
                best = a;
            }
        }
        return best == null ? null : best.address;
    }

    /** RFC 6724 5: rules 2 (appropriate scope), 3 (avoid deprecated) and 8 (longest matching prefix). */
    private static boolean better(Local a, Local b, Ipv6Address dst) {
        int sa = scope(a.address);
        int sb = scope(b.address);
        if (sa != sb) {
            int sd = scope(dst);
            return sa < sb ? sa >= sd : sb < sd;
        }
        if (a.state != b.state) {
            return a.state == State.PREFERRED;
        }
        return Math.min(commonPrefix(a.address, dst), a.cidr.prefix())
            > Math.min(commonPrefix(b.address, dst), b.cidr.prefix());
    }

    /** RFC 6724 3.1: 2 link-local, 14 global; a multicast address's own scope. */
    static int scope(Ipv6Address a) {
        if (a.isMulticast()) {
            return (int) (a.high() >>> 48) & 0xf;
        }
        return a.isLinkLocal() || a.isLoopback() ? 2 : 14;
    }

    static int commonPrefix(Ipv6Address a, Ipv6Address b) {
        long h = a.high() ^ b.high();
        return h != 0 ? Long.numberOfLeadingZeros(h) : 64 + Long.numberOfLeadingZeros(a.low() ^ b.low());
    }

    @Override
    public int linkMtu() {
        return linkMtu;
    }

    @Override
    public int hopLimit() {
        return curHopLimit;
    }

    @Override
    public void joinGroup(Ipv6Address group) {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("not a multicast group: " + group);
        }
        mld.join(group.withoutZone());
    }

    @Override
    public void leaveGroup(Ipv6Address group) {
        mld.leave(group.withoutZone());
    }

    // ---------------------------------------------------------------- views

    @Override
    public List<Ipv6Cidr> cidrs() {
        return usableCidrs;
    }

    @Override
    public List<Ipv6AddressInfo> addressInfo() {
        long now = loop.nanoTime();
        List<Ipv6AddressInfo> out = new ArrayList<>();
        for (Published p : published) {
            out.add(new Ipv6AddressInfo(p.cidr(), p.origin(), p.state(), remaining(p.preferredUntil(), now),
                remaining(p.validUntil(), now)));
        }
        return out;
    }

    private static long remaining(long until, long now) {
        return until == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, until - now);
    }

    @Override
    public List<IpAddress> configuredIps() {
        return usableIps;
    }

    @Override
    public CompletableFuture<Void> addressesReady() {
        return ready;
    }

    @Override
    public Optional<Ipv6Address> defaultRouter() {
        if (loop.inEventLoop()) {
            return Optional.ofNullable(chooseRouter());
        }
        if (config.defaultRouter() != null) {
            return Optional.of(config.defaultRouter());
        }
        List<Ipv6Address> list = routerView;
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    @Override
    public List<Ipv6Neighbor> neighbors() {
        return cache.list();
    }

    /** The on-link prefixes now (static and advertised). Loop only. */
    List<Ipv6Cidr> onLinkPrefixes() {
        return List.copyOf(onLink);
    }

    /** The default router list now, without the configured router. Loop only. */
    List<Ipv6Address> routerList() {
        return routerView;
    }

    /** RetransTimer now, in nanoseconds. Loop only. */
    long retransNanos() {
        return retransNanos;
    }

    /** ReachableTime now, in nanoseconds. Loop only. */
    long reachableNanos() {
        return reachableNanos;
    }

    /** The groups joined now. Loop only. */
    List<Ipv6Address> groups() {
        return mld.list();
    }

    private void publish() {
        List<Published> all = new ArrayList<>(addresses.size());
        List<Ipv6Cidr> cidrs = new ArrayList<>();
        List<IpAddress> ips = new ArrayList<>();
        for (Local a : addresses) {
            all.add(new Published(a.cidr, a.origin, a.state, a.preferredUntil, a.validUntil));
            if (a.usable()) {
                cidrs.add(a.cidr);
                ips.add(a.address);
            }
        }
        published = List.copyOf(all);
        usableCidrs = List.copyOf(cidrs);
        usableIps = List.copyOf(ips);
    }

    private void publishRouters() {
        List<Ipv6Address> list = new ArrayList<>(routers.size());
        for (Router r : routers) {
            list.add(r.address);
        }
        routerView = List.copyOf(list);
    }

    // ---------------------------------------------------------------- addresses and DAD

    private void addAddress(Local a) {
        addresses.add(a);
        byAddress.put(a.address, a);
        mld.join(a.address.solicitedNode());
        if (config.dadTransmits() == 0) {
            dadDone(a);
        } else {
            // RFC 4862 5.4.2: a random delay before the first solicitation.
            a.nonce = random.nextLong() & 0xffff_ffff_ffffL;
            a.dadTimer.schedule(random.nextLong(MAX_RTR_SOLICITATION_DELAY + 1));
        }
        scheduleLifetime(a);
        publish();
    }

    private void removeAddress(Local a) {
        a.dadTimer.cancel();
        a.lifetimeTimer.cancel();
        addresses.remove(a);
        byAddress.remove(a.address, a);
        if (a.state != State.DUPLICATE) {
            mld.leave(a.address.solicitedNode());
        }
        publish();
    }

    /** RFC 4862 5.4.2, 5.4.3: one solicitation from ::, or the end of DAD after the last one's wait. */
    private void dadStep(Local a) {
        if (a.state != State.TENTATIVE || stopped) {
            return;
        }
        if (a.probesSent < config.dadTransmits()) {
            a.probesSent++;
            dadProbes.increment();
            Ipv6Address group = a.address.solicitedNode();
            send(Ipv6Address.ANY, group, Mld.macOf(group),
                new NdMessage.NeighborSolicitation(a.address, NdMessage.NONE, a.nonce), txNs);
            a.dadTimer.schedule(retransNanos);
        } else {
            dadDone(a);
        }
    }

    private void dadDone(Local a) {
        a.state = loop.nanoTime() - a.preferredUntil >= 0 && a.preferredUntil != Long.MAX_VALUE
            ? State.DEPRECATED : State.PREFERRED;
        publish();
        updateReady();
    }

    /** RFC 4862 5.4.5: the address is someone else's. A SLAAC one is formed anew (RFC 7217 6). */
    private void dadFailed(Local a, String evidence) {
        a.dadTimer.cancel();
        a.state = State.DUPLICATE;
        dadDuplicates.increment();
        mld.leave(a.address.solicitedNode());
        LOG.warn("{}: {} is in use on the link ({}): not used", context.name(), a.address, evidence);
        if (a.origin == Origin.SLAAC && a.dadCounter < InterfaceIds.IDGEN_RETRIES) {
            removeAddress(a);
            formSlaac(a.prefixHigh, a.dadCounter + 1, a.preferredUntil, a.validUntil);
        } else {
            publish();
        }
        updateReady();
    }

    private void updateReady() {
        if (ready.isDone()) {
            return;
        }
        for (Local a : addresses) {
            if (a.origin != Origin.SLAAC && a.state == State.TENTATIVE) {
                return;
            }
        }
        ready.complete(null);
    }

    private void scheduleLifetime(Local a) {
        long now = loop.nanoTime();
        long next = a.validUntil;
        if (a.state != State.DEPRECATED && a.preferredUntil != Long.MAX_VALUE && a.preferredUntil - now > 0
                && (a.validUntil == Long.MAX_VALUE || a.preferredUntil - a.validUntil < 0)) {
            next = a.preferredUntil;
        }
        if (next == Long.MAX_VALUE) {
            a.lifetimeTimer.cancel();
        } else {
            a.lifetimeTimer.schedule(Math.max(0, next - now));
        }
    }

    private void lifetimeExpired(Local a) {
        long now = loop.nanoTime();
        if (a.validUntil != Long.MAX_VALUE && now - a.validUntil >= 0) {
            removeAddress(a);
            return;
        }
        if (a.state == State.PREFERRED && a.preferredUntil != Long.MAX_VALUE && now - a.preferredUntil >= 0) {
            a.state = State.DEPRECATED;
            publish();
        }
        scheduleLifetime(a);
    }

    // ---------------------------------------------------------------- SLAAC

    /** RFC 4862 5.5.3: an advertised prefix information option with the A flag. */
    private void slaac(NdMessage.PrefixInformation p) {
        if (!p.autonomous()) {
            return;
        }
        if (p.preferredLifetime() > p.validLifetime() || p.prefixLength() != 64) {
            // (c), and an identifier of 64 bits needs a /64 (RFC 4291 2.5.1).
            slaacIgnored.increment();
            return;
        }
        long prefixHigh = p.prefix().high();
        long now = loop.nanoTime();
        Local existing = null;
        int formed = 0;
        for (Local a : addresses) {
            if (a.origin == Origin.SLAAC) {
                formed++;
                if (a.prefixHigh == prefixHigh) {
                    existing = a;
                }
            }
        }
        if (existing == null) {
            if (p.validLifetime() == 0) {
                return;
            }
            if (formed >= config.maxPrefixes()) {
                prefixesFull.increment();
                return;
            }
            formSlaac(prefixHigh, 0, deadline(p.preferredLifetime(), now), deadline(p.validLifetime(), now));
            return;
        }
        existing.preferredUntil = deadline(p.preferredLifetime(), now);
        long advertisedUntil = deadline(p.validLifetime(), now);
        long remaining = existing.validUntil == Long.MAX_VALUE ? Long.MAX_VALUE : existing.validUntil - now;
        if (p.validLifetime() * SECOND > TWO_HOURS || p.validLifetime() == NdMessage.INFINITE
                || later(advertisedUntil, existing.validUntil)) {
            existing.validUntil = advertisedUntil;
        } else if (remaining > TWO_HOURS) {
            existing.validUntil = now + TWO_HOURS;
        }
        boolean stillPreferred = existing.preferredUntil == Long.MAX_VALUE || existing.preferredUntil - now > 0;
        if (existing.state == State.DEPRECATED && stillPreferred) {
            existing.state = State.PREFERRED;
        } else if (existing.state == State.PREFERRED && !stillPreferred) {
            existing.state = State.DEPRECATED;
        }
        scheduleLifetime(existing);
        publish();
    }

    private static boolean later(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b != Long.MAX_VALUE;
        }
        return b != Long.MAX_VALUE && a - b > 0;
    }

    private static long deadline(long seconds, long now) {
        return seconds == NdMessage.INFINITE ? Long.MAX_VALUE : now + seconds * SECOND;
    }

    private void formSlaac(long prefixHigh, int dadCounter, long preferredUntil, long validUntil) {
        Ipv6Address address = new Ipv6Address(prefixHigh, InterfaceIds.stable(prefixHigh, mac, dadCounter, secret));
        if (byAddress.containsKey(address)) {
            return;
        }
        Local a = new Local(new Ipv6Cidr(address, 64), Origin.SLAAC);
        a.prefixHigh = prefixHigh;
        a.dadCounter = dadCounter;
        a.preferredUntil = preferredUntil;
        a.validUntil = validUntil;
        slaacAddresses.increment();
        addAddress(a);
    }

    // ---------------------------------------------------------------- routers

    /** RFC 4861 6.3.7: up to MAX_RTR_SOLICITATIONS, from the link-local address once usable, else from ::. */
    private void solicitRouter() {
        if (rsDone || stopped) {
            return;
        }
        Local ll = linkLocal();
        Ipv6Address src = ll != null ? ll.address : Ipv6Address.ANY;
        send(src, Ipv6Address.ALL_ROUTERS, Mld.macOf(Ipv6Address.ALL_ROUTERS),
            new NdMessage.RouterSolicitation(ll != null ? mac : NdMessage.NONE), txRs);
        if (++rsSent < MAX_RTR_SOLICITATIONS) {
            rsTimer.schedule(RTR_SOLICITATION_INTERVAL);
        }
    }

    private Local linkLocal() {
        for (Local a : addresses) {
            if (a.origin == Origin.LINK_LOCAL && a.usable()) {
                return a;
            }
        }
        return null;
    }

    /** RFC 4861 6.3.4. */
    private void routerAdvertisement(Ipv6Address src, NdMessage.RouterAdvertisement ra) {
        if (ra.routerLifetime() != 0) {
            rsDone = true;
            rsTimer.cancel();
        }
        if (ra.curHopLimit() != 0) {
            curHopLimit = ra.curHopLimit();
        }
        Router r = findRouter(src);
        if (ra.routerLifetime() == 0) {
            if (r != null) {
                removeRouter(r);
            }
        } else {
            if (r == null && routers.size() < config.maxRouters()) {
                r = new Router(src);
                routers.add(r);
                publishRouters();
            } else if (r == null) {
                routersFull.increment();
            }
            if (r != null) {
                r.timer.schedule(ra.routerLifetime() * SECOND);
            }
        }
        if (ra.reachableTime() != 0 && ra.reachableTime() <= MAX_REACHABLE_TIME_MS) {
            long base = ra.reachableTime() * 1_000_000L;
            if (base != baseReachableNanos) {
                baseReachableNanos = base;
                reachableNanos = randomReachable(base);
            }
        }
        if (ra.retransTimer() != 0) {
            retransNanos = ra.retransTimer() * 1_000_000L;
        }
        if (ra.sourceMac() != NdMessage.NONE) {
            cache.learn(src, ra.sourceMac(), true);
        } else {
            cache.markRouter(src);
        }
        if (ra.mtu() != 0) {
            if (ra.mtu() >= Ipv6Config.MIN_MTU && ra.mtu() <= ethernet.mtu()) {
                linkMtu = (int) ra.mtu();
                mld.mtu(linkMtu);
            } else {
                rxRaBadMtu.increment();
            }
        }
        for (NdMessage.PrefixInformation p : ra.prefixes()) {
            if (p.prefix().isMulticast() || p.prefix().isLinkLocal()) {
                // Neither on link nor a source of addresses (Linux's addrconf_prefix_rcv).
                slaacIgnored.increment();
                continue;
            }
            if (p.onLink()) {
                onLinkPrefix(p);
            }
            if (config.slaac()) {
                slaac(p);
            }
        }
    }

    private Router findRouter(Ipv6Address address) {
        for (Router r : routers) {
            if (r.address.equals(address)) {
                return r;
            }
        }
        return null;
    }

    private void removeRouter(Router r) {
        r.timer.cancel();
        if (routers.remove(r)) {
            publishRouters();
            forgetRedirectsThrough(r.address);
        }
    }

    private void forgetRedirectsThrough(Ipv6Address router) {
        redirects.values().removeIf(router::equals);
    }

    /** RFC 4861 6.3.4: an on-link prefix, kept for its valid lifetime; 0 removes it. */
    private void onLinkPrefix(NdMessage.PrefixInformation p) {
        if (p.prefixLength() > 128) {
            return;
        }
        Ipv6Cidr given = new Ipv6Cidr(p.prefix(), p.prefixLength());
        Ipv6Cidr cidr = new Ipv6Cidr(given.network(), p.prefixLength());
        Prefix existing = null;
        for (Prefix x : prefixes) {
            if (x.cidr.equals(cidr)) {
                existing = x;
            }
        }
        if (p.validLifetime() == 0) {
            if (existing != null) {
                removePrefix(existing);
            }
            return;
        }
        if (existing == null) {
            if (prefixes.size() >= config.maxPrefixes()) {
                prefixesFull.increment();
                return;
            }
            existing = new Prefix(cidr);
            prefixes.add(existing);
            rebuildOnLink();
        }
        if (p.validLifetime() == NdMessage.INFINITE) {
            existing.timer.cancel();
        } else {
            existing.timer.schedule(p.validLifetime() * SECOND);
        }
    }

    private void removePrefix(Prefix p) {
        p.timer.cancel();
        if (prefixes.remove(p)) {
            rebuildOnLink();
        }
    }

    private void rebuildOnLink() {
        onLink.clear();
        onLink.addAll(staticPrefixes);
        for (Prefix p : prefixes) {
            if (!onLink.contains(p.cidr)) {
                onLink.add(p.cidr);
            }
        }
    }

    // ---------------------------------------------------------------- input

    @Override
    public void input(Ipv6Address src, Ipv6Address dst, int hopLimit, ByteBuffer message) {
        NdParseResult parsed = NdMessage.parse(message, src.withoutZone(), dst.withoutZone(), hopLimit);
        if (parsed instanceof NdRejection r) {
            rxInvalid.increment();
            rxRejected.get(r).increment();
            return;
        }
        if (stopped || !started) {
            return;
        }
        Ipv6Address from = src.withoutZone();
        switch ((NdMessage) parsed) {
            case NdMessage.RouterSolicitation rs -> rxRs.increment(); // a host ignores them (RFC 4861 6.2.6)
            case NdMessage.RouterAdvertisement ra -> {
                rxRa.increment();
                if (config.acceptRouterAdvertisements()) {
                    routerAdvertisement(from, ra);
                } else {
                    rxRaIgnored.increment();
                }
            }
            case NdMessage.NeighborSolicitation ns -> {
                rxNs.increment();
                neighborSolicitation(from, ns);
            }
            case NdMessage.NeighborAdvertisement na -> {
                rxNa.increment();
                neighborAdvertisement(na);
            }
            case NdMessage.Redirect redirect -> {
                if (!from.equals(nextHop(redirect.destination()))) {
                    rxInvalid.increment();
                    rxRejected.get(NdRejection.REDIRECT_NOT_FROM_ROUTER).increment();
                    return;
                }
                rxRedirect.increment();
                if (config.acceptRedirects()) {
                    redirect(redirect);
                } else {
                    rxRedirectIgnored.increment();
                }
            }
            case NdMessage.MldQuery q -> {
                rxMldQuery.increment();
                mld.query(q);
            }
            case NdMessage.MldReport report -> rxMldReport.increment();
        }
    }

    /** RFC 4861 7.2.3, 7.2.4; RFC 4862 5.4.3. */
    private void neighborSolicitation(Ipv6Address src, NdMessage.NeighborSolicitation ns) {
        Local a = byAddress.get(ns.target());
        if (a == null) {
            rxNsNotForUs.increment();
            return;
        }
        if (a.state == State.TENTATIVE) {
            if (src.isUnspecified()) {
                if (ns.nonce() != NdMessage.NONE && ns.nonce() == a.nonce) {
                    // Our own probe, looped back (RFC 7527).
                    rxDadLooped.increment();
                    return;
                }
                dadFailed(a, "a neighbor solicitation for it from ::");
            }
            // From a unicast source, it is address resolution for a tentative address: ignored.
            return;
        }
        if (a.state == State.DUPLICATE) {
            return;
        }
        if (src.isUnspecified()) {
            // Another node's DAD for one of ours: defend it to all nodes (RFC 4861 7.2.4).
            send(a.address, Ipv6Address.ALL_NODES, Mld.macOf(Ipv6Address.ALL_NODES),
                new NdMessage.NeighborAdvertisement(false, false, true, a.address, mac), txNa);
            return;
        }
        long dstMac;
        if (ns.sourceMac() != NdMessage.NONE) {
            cache.learn(src, ns.sourceMac(), false);
            dstMac = ns.sourceMac();
        } else {
            NeighborCache.Entry e = cache.peek(src);
            dstMac = e != null && e.mac != NdMessage.NONE ? e.mac : NdOutput.RESOLVE;
        }
        send(a.address, src, dstMac, new NdMessage.NeighborAdvertisement(false, true, true, a.address, mac), txNa);
    }

    /** RFC 4861 7.2.5; RFC 4862 5.4.4. */
    private void neighborAdvertisement(NdMessage.NeighborAdvertisement na) {
        Local a = byAddress.get(na.target());
        if (a != null) {
            if (a.state == State.TENTATIVE) {
                dadFailed(a, "a neighbor advertisement of it");
            } else {
                rxNaForOurs.increment();
            }
            return;
        }
        cache.advertised(na.target(), na.targetMac(), na.router(), na.solicited(), na.override());
    }

    /** RFC 4861 8.3. */
    private void redirect(NdMessage.Redirect r) {
        boolean router = !r.target().equals(r.destination());
        redirects.remove(r.destination());
        redirects.put(r.destination(), r.target());
        if (r.targetMac() != NdMessage.NONE) {
            cache.learn(r.target(), r.targetMac(), router);
        } else if (router) {
            cache.markRouter(r.target());
        }
    }

    // ---------------------------------------------------------------- output

    private void send(Ipv6Address src, Ipv6Address dst, long dstMac, NdMessage message, Counters.Counter sent) {
        Result<IpError> result = output.sendIcmpv6(src, dst, dstMac, NdMessage.ND_HOP_LIMIT, false, message.length(),
            (b, offset, max) -> message.write(b, offset));
        if (result.isOk()) {
            sent.increment();
        } else {
            txErrors.increment();
        }
    }

    private void sendReport(int size, org.tcpip4j.netif.PacketWriter message) {
        if (stopped) {
            return;
        }
        Local ll = linkLocal();
        Result<IpError> result = output.sendIcmpv6(ll != null ? ll.address : Ipv6Address.ANY, Mld.ALL_MLDV2_ROUTERS,
            Mld.macOf(Mld.ALL_MLDV2_ROUTERS), 1, true, size, message);
        if (!result.isOk()) {
            txErrors.increment();
        }
    }

    /** What the neighbor cache does through this layer. */
    private final class CacheActions implements NeighborCache.Actions {
        @Override
        public void solicit(Ipv6Address target, long targetMac) {
            Ipv6Address src = sourceFor(target);
            if (src == null) {
                txNoSource.increment();
                return;
            }
            NdMessage ns = new NdMessage.NeighborSolicitation(target, mac, NdMessage.NONE);
            if (targetMac == NdMessage.NONE) {
                Ipv6Address group = target.solicitedNode();
                send(src, group, Mld.macOf(group), ns, txNs);
            } else {
                send(src, target, targetMac, ns, txNs);
            }
        }

        @Override
        public void transmit(long neighborMac, ByteBuffer datagram) {
            output.transmit(neighborMac, datagram);
        }

        @Override
        public void unresolved(ByteBuffer datagram) {
            output.unresolved(datagram);
        }

        @Override
        public void gone(Ipv6Address address) {
            forgetRedirectsThrough(address);
            if (findRouter(address) != null) {
                routerChoice++;
            }
        }

        @Override
        public void routerBecameHost(Ipv6Address address) {
            Router r = findRouter(address);
            if (r != null) {
                removeRouter(r);
            }
        }

        @Override
        public long retransNanos() {
            return retransNanos;
        }

        @Override
        public long reachableNanos() {
            return reachableNanos;
        }
    }
}
