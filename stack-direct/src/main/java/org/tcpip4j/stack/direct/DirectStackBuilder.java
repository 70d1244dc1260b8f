package org.tcpip4j.stack.direct;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.udp.UdpConfig;

/**
 * Assembles a {@link DirectStack} over a {@link Netif} (Mirage's {@code connect}): finds a
 * provider for each layer through {@link java.util.ServiceLoader}, creates the layers
 * bottom up on the netif's event loop, wires input from the device up through them, and
 * starts listening.
 *
 * <pre>{@code
 * DirectStack stack = DirectStackBuilder.on(netif)
 *         .address(Ipv4Cidr.parse("198.18.0.2/24"))
 *         .address6(Ipv6Cidr.parse("2001:2::2/64"))
 *         .build();
 * }</pre>
 *
 * <p>The stack has IPv6 when it is given an IPv6 address, an IPv6 router, SLAAC or a whole
 * {@link Ipv6Config}: UDP and TCP then serve both versions. Duplicate Address Detection
 * runs after {@code build()}: an address is usable once
 * {@code stack.ipv6().orElseThrow().addressesReady()} completes (or at once with
 * {@code ipv6Config(config.withDadTransmits(0))}).
 */
public final class DirectStackBuilder {

    /** Numbers the stacks built without a name: stack-1, stack-2, ... */
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final Netif netif;
    private final List<Ipv4Cidr> cidrs = new ArrayList<>();
    private Ipv4Address gateway;
    private Ipv4Config ipv4Config;
    private final List<Ipv6Cidr> cidrs6 = new ArrayList<>();
    private Ipv6Address router6;
    private boolean slaac;
    private Ipv6Config ipv6Config;
    private ArpConfig arpConfig = ArpConfig.DEFAULT;
    private IcmpConfig icmpConfig = IcmpConfig.DEFAULT;
    private UdpConfig udpConfig = UdpConfig.DEFAULT;
    private TcpConfig tcpConfig = TcpConfig.DEFAULT;
    private StackContext context;
    private Long seed;
    private String name;
    private boolean jmx = true;
    private String ethernetProvider;
    private String arpProvider;
    private String ipv4Provider;
    private String ipv6Provider;
    private String icmpProvider;
    private String icmpv6Provider;
    private String udpProvider;
    private String tcpProvider;
    // One queue of a multi-queue device (MultiQueueStack): which, of how many, and the key
    // every queue's secrets are drawn from, so that they draw the same ones.
    private int queue;
    private int queues = 1;
    private byte[] queueKey;

    private DirectStackBuilder(Netif netif) {
        this.netif = Objects.requireNonNull(netif, "netif");
    }

    /** A builder for a stack over {@code netif}, on the netif's event loop. */
    public static DirectStackBuilder on(Netif netif) {
        return new DirectStackBuilder(netif);
    }

    /** Adds an interface address with its subnet (at least one is needed). */
    public DirectStackBuilder address(Ipv4Cidr cidr) {
        cidrs.add(Objects.requireNonNull(cidr, "cidr"));
        return this;
    }

    /** Sets the default gateway. */
    public DirectStackBuilder gateway(Ipv4Address gateway) {
        this.gateway = gateway;
        return this;
    }

    /** Sets the whole IPv4 configuration (addresses, gateway, limits), replacing {@link #address} and {@link #gateway}. */
    public DirectStackBuilder ipv4Config(Ipv4Config config) {
        this.ipv4Config = config;
        return this;
    }

    /** Adds an IPv6 interface address with its on-link prefix (RFC 4862 static configuration). */
    public DirectStackBuilder address6(Ipv6Cidr cidr) {
        cidrs6.add(Objects.requireNonNull(cidr, "cidr"));
        return this;
    }

    /** Sets the IPv6 default router (link-local, or in an on-link prefix). */
    public DirectStackBuilder router6(Ipv6Address router) {
        this.router6 = router;
        return this;
    }

    /**
     * Forms IPv6 addresses from router advertisements (SLAAC, RFC 4862) with stable
     * interface identifiers (RFC 7217), beside the addresses given to {@link #address6}.
     */
    public DirectStackBuilder slaac(boolean on) {
        this.slaac = on;
        return this;
    }

    /**
     * Sets the whole IPv6 configuration (addresses, router, SLAAC, limits), replacing
     * {@link #address6}, {@link #router6} and {@link #slaac}.
     */
    public DirectStackBuilder ipv6Config(Ipv6Config config) {
        this.ipv6Config = config;
        return this;
    }

    /** Sets the ARP layer's configuration. */
    public DirectStackBuilder arpConfig(ArpConfig config) {
        this.arpConfig = Objects.requireNonNull(config);
        return this;
    }

    /** Sets the UDP layer's configuration (ephemeral port range, fragmentation). */
    public DirectStackBuilder udpConfig(UdpConfig config) {
        this.udpConfig = Objects.requireNonNull(config);
        return this;
    }

    /** Sets the ICMP layer's configuration (the rate limit of the errors it sends). */
    public DirectStackBuilder icmpConfig(IcmpConfig config) {
        this.icmpConfig = Objects.requireNonNull(config);
        return this;
    }

    /** Sets the TCP layer's configuration. */
    public DirectStackBuilder tcpConfig(TcpConfig config) {
        this.tcpConfig = Objects.requireNonNull(config);
        return this;
    }

    /** Seeds the stack's randomness (ISNs, ports, identifiers), for a reproducible simulation. */
    public DirectStackBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Sets the whole context; its loop must be the netif's. */
    public DirectStackBuilder context(StackContext context) {
        this.context = context;
        return this;
    }

    /**
     * Names the stack: its log lines begin with the name, its Flight Recorder events carry
     * it, and its MBean is {@code org.tcpip4j:type=Stack,name=NAME}. Without one a stack
     * is named {@code stack-N}, N counting the stacks of the process. A context given to
     * {@link #context} brings its own name.
     */
    public DirectStackBuilder name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    /**
     * Registers the stack's counters as an MBean in the platform MBean server, under
     * {@code org.tcpip4j:type=Stack,name=NAME}, for JConsole, JDK Mission Control and
     * {@code jcmd}; unregistered when the stack disconnects. On by default; a failure to
     * register (no management, a stack of the same name registered) is logged and the
     * stack runs without.
     */
    public DirectStackBuilder jmx(boolean on) {
        this.jmx = on;
        return this;
    }

    /** Uses the Ethernet provider named {@code provider}. */
    public DirectStackBuilder ethernetProvider(String provider) {
        this.ethernetProvider = provider;
        return this;
    }

    /** Uses the ARP provider named {@code provider}. */
    public DirectStackBuilder arpProvider(String provider) {
        this.arpProvider = provider;
        return this;
    }

    /** Uses the IPv4 provider named {@code provider}. */
    public DirectStackBuilder ipv4Provider(String provider) {
        this.ipv4Provider = provider;
        return this;
    }

    /** Uses the IPv6 provider named {@code provider}. */
    public DirectStackBuilder ipv6Provider(String provider) {
        this.ipv6Provider = provider;
        return this;
    }

    /** Uses the ICMPv6 provider named {@code provider}. */
    public DirectStackBuilder icmpv6Provider(String provider) {
        this.icmpv6Provider = provider;
        return this;
    }

    /** Uses the ICMPv4 provider named {@code provider}. */
    public DirectStackBuilder icmpProvider(String provider) {
        this.icmpProvider = provider;
        return this;
    }

    /** Uses the UDP provider named {@code provider}. */
    public DirectStackBuilder udpProvider(String provider) {
        this.udpProvider = provider;
        return this;
    }

    /** Uses the TCP provider named {@code provider}. */
    public DirectStackBuilder tcpProvider(String provider) {
        this.tcpProvider = provider;
        return this;
    }

    /**
     * Assembles the stack on the netif's event loop and starts it.
     *
     * @return a future completing with the running stack, or failing with
     *     {@link ProviderNotFoundException} when a named provider is missing, or
     *     {@link IllegalArgumentException} for an invalid configuration
     */
    public CompletableFuture<DirectStack> connect() {
        Ipv4Config config = ipv4Config;
        if (config == null) {
            if (cidrs.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("a stack needs an address: call address(cidr)"));
            }
            config = Ipv4Config.of(cidrs.getFirst(), gateway).withAddresses(cidrs, gateway);
        }
        Ipv6Config config6 = ipv6Config;
        if (config6 == null && (!cidrs6.isEmpty() || router6 != null || slaac)) {
            try {
                config6 = Ipv6Config.of(cidrs6, router6).withSlaac(slaac);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        StackContext ctx = context;
        if (name == null && ctx == null) {
            name = "stack-" + UNNAMED.incrementAndGet();
        }
        String stackName = queues > 1 ? name + "-q" + queue : name;
        TcpConfig tcp = queues > 1 ? tcpConfig.withPortShare(queue, queues) : tcpConfig;
        if (ctx == null && queues > 1 && seed == null) {
            ctx = new StackContext(netif.loop(), new SplittableRandom(new SecureRandom().nextLong()), stackName,
                    queueSecrets(queueKey));
        } else if (ctx == null) {
            ctx = seed != null ? StackContext.seeded(netif.loop(), seed, stackName)
                    : StackContext.of(netif.loop(), stackName);
        } else if (ctx.loop() != netif.loop()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the context's loop must be the netif's loop"));
        }
        StackContext finalCtx = ctx;
        Ipv4Config finalConfig = config;
        Ipv6Config finalConfig6 = config6;
        LayerChoices choices = new LayerChoices(ethernetProvider, arpProvider, ipv4Provider, ipv6Provider, icmpProvider,
                icmpv6Provider, udpProvider, tcpProvider);
        boolean register = jmx;
        return netif.loop().call(() -> {
            AssembledStack stack = AssembledStack.assemble(netif, finalCtx, finalConfig, finalConfig6, arpConfig,
                    icmpConfig, udpConfig, tcp, choices);
            if (register) {
                stack.registerMBean();
            }
            return CompletableFuture.completedFuture(stack);
        });
    }

    /**
     * Makes this the builder of queue {@code index} of {@code count} of one device
     * ({@link MultiQueueStack}): named NAME-qINDEX, taking its share of the ephemeral ports
     * ({@link TcpConfig#withPortShare}), and drawing its secrets from {@code key}, as every
     * queue does, unless a seed or a context is given.
     */
    DirectStackBuilder queue(int index, int count, byte[] key) {
        this.queue = index;
        this.queues = count;
        this.queueKey = key.clone();
        return this;
    }

    /** Secrets every queue draws alike: a SHA1PRNG generator seeded with {@code key} before its first use. */
    private static Secrets queueSecrets(byte[] key) {
        try {
            SecureRandom generator = SecureRandom.getInstance("SHA1PRNG");
            generator.setSeed(key);
            return Secrets.from(generator);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA1PRNG, which every JDK has", e);
        }
    }

    /**
     * Assembles the stack and waits for it. On a virtual-time loop call it from the loop's
     * own thread; on a real-time loop from any thread but the loop's.
     */
    public DirectStack build() {
        try {
            return connect().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    record LayerChoices(String ethernet, String arp, String ipv4, String ipv6, String icmp, String icmpv6, String udp,
                        String tcp) {
    }
}
