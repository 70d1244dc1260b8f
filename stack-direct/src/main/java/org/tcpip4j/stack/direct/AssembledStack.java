package org.tcpip4j.stack.direct;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpProvider;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetProvider;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.IcmpProvider;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.icmp.Icmpv6;
import org.tcpip4j.icmp.Icmpv6Provider;
import org.tcpip4j.ip.DualIp;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.Ipv4Provider;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Provider;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpProvider;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.UdpProvider;

/**
 * The direct stack: one layer of each kind, created bottom up and wired so that a frame
 * from the device travels netif -> ethernet -> (arp | ipv4 -> (tcp | udp | icmp) | ipv6 ->
 * (tcp | udp | icmpv6)) on the event loop, each layer handing the next a view of the same
 * buffer. With IPv6, UDP and TCP write through a {@link DualIp} over both IP layers.
 *
 * <p>It also closes the loops between layers that do not know each other:
 * <ul>
 *   <li>datagrams IPv4 (IPv6) cannot deliver go to ICMPv4's (ICMPv6's) error generator
 *       (protocol and port unreachable, reassembly time exceeded, parameter problems), and
 *       a protocol no layer serves is reported from the handler of "other" protocols;
 *   <li>ICMP errors received about our datagrams go to the layer of the quoted protocol,
 *       {@code Udp.icmpError} or {@code Tcp.icmpError};
 *   <li>IPv4 and IPv6 write through a {@link LoopbackEthernet}, so that datagrams to our
 *       own addresses come back in as if received.
 * </ul>
 */
final class AssembledStack implements DirectStack {

    private static final Logger LOG = LoggerFactory.getLogger(AssembledStack.class);

    private final Netif netif;
    private final StackContext context;
    private final Ethernet ethernet;
    private final Arp arp;
    private final Ipv4 ipv4;
    private final Icmpv4 icmp;
    private final Ipv6 ipv6;
    private final Icmpv6 icmpv6;
    private final Ip ip;
    private final Udp udp;
    private final Tcp tcp;
    private final List<ProviderChoice> choices;
    private final Counters stackCounters;
    private final Counters.Counter unknownProtocol;
    private final Counters.Counter icmpErrorsUnrouted;
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final AtomicBoolean disconnecting = new AtomicBoolean();
    /** The stack's MBean, while registered. */
    private volatile StackMBean mbean;

    // The input path, built once so that receiving a frame allocates nothing here.
    private final PayloadHandler arpInput;
    private final PayloadHandler ipv4Input;
    private final PayloadHandler ipv6Input;
    private final IpHandler tcpInput;
    private final IpHandler udpInput;
    private final OtherProtocolHandler otherInput;
    private final OtherProtocolHandler otherInput6;
    private final FrameHandler frameInput;

    private AssembledStack(Netif netif, StackContext context, Ethernet ethernet, Arp arp, Ipv4 ipv4, Icmpv4 icmp,
                           Ipv6 ipv6, Icmpv6 icmpv6, Ip ip, Udp udp, Tcp tcp, List<ProviderChoice> choices,
                           Counters stackCounters) {
        this.stackCounters = stackCounters;
        this.unknownProtocol = stackCounters.counter("rx.unknown_ip_protocol");
        this.icmpErrorsUnrouted = stackCounters.counter("rx.icmp_errors_unrouted");
        this.netif = netif;
        this.context = context;
        this.ethernet = ethernet;
        this.arp = arp;
        this.ipv4 = ipv4;
        this.icmp = icmp;
        this.ipv6 = ipv6;
        this.icmpv6 = icmpv6;
        this.ip = ip;
        this.udp = udp;
        this.tcp = tcp;
        this.choices = List.copyOf(choices);
        this.tcpInput = tcp::input;
        this.udpInput = udp::input;
        this.otherInput = this::otherProtocol;
        this.otherInput6 = this::otherProtocol6;
        this.arpInput = arp::input;
        this.ipv4Input = packet -> ipv4.input(packet, tcpInput, udpInput, otherInput);
        this.ipv6Input = ipv6 == null ? null : packet -> ipv6.input(packet, tcpInput, udpInput, otherInput6);
        this.frameInput = frame -> ethernet.input(frame, arpInput, ipv4Input, ipv6Input);
    }

    /** Creates and wires the layers; runs on the netif's loop. */
    static AssembledStack assemble(Netif netif, StackContext ctx, Ipv4Config ipv4Config, Ipv6Config ipv6Config,
                                   ArpConfig arpConfig, IcmpConfig icmpConfig, UdpConfig udpConfig,
                                   TcpConfig tcpConfig, DirectStackBuilder.LayerChoices named) {
        List<ProviderChoice> choices = new ArrayList<>();
        var eth = ProviderSelector.select(EthernetProvider.class, "ethernet", named.ethernet());
        var arpP = ProviderSelector.select(ArpProvider.class, "arp", named.arp());
        var ipP = ProviderSelector.select(Ipv4Provider.class, "ipv4", named.ipv4());
        var icmpP = ProviderSelector.select(IcmpProvider.class, "icmp", named.icmp());
        var udpP = ProviderSelector.select(UdpProvider.class, "udp", named.udp());
        var tcpP = ProviderSelector.select(TcpProvider.class, "tcp", named.tcp());
        List<ProviderSelector.Selected<?>> selected = new ArrayList<>(List.of(eth, arpP, ipP, icmpP));
        ProviderSelector.Selected<Ipv6Provider> ip6P = null;
        ProviderSelector.Selected<Icmpv6Provider> icmp6P = null;
        if (ipv6Config != null) {
            ip6P = ProviderSelector.select(Ipv6Provider.class, "ipv6", named.ipv6());
            icmp6P = ProviderSelector.select(Icmpv6Provider.class, "icmpv6", named.icmpv6());
            selected.add(ip6P);
            selected.add(icmp6P);
        }
        selected.add(udpP);
        selected.add(tcpP);
        for (var s : selected) {
            choices.add(s.choice());
            LOG.info("{}: {}", ctx.name(), s.choice());
        }
        Ethernet ethernet = eth.provider().create(netif, ctx);
        Arp arp = arpP.provider().create(ethernet, arpConfig, ctx);
        Counters stackCounters = new Counters("stack");
        LoopbackEthernet loopback = new LoopbackEthernet(ethernet, ctx.loop(), stackCounters);
        Ipv4 ipv4 = ipP.provider().create(loopback, arp, ipv4Config, ctx);
        Icmpv4 icmp = icmpP.provider().create(ipv4, icmpConfig, ctx);
        Ipv6 ipv6 = null;
        Icmpv6 icmpv6 = null;
        Ip ip = ipv4;
        if (ipv6Config != null) {
            ipv6 = ip6P.provider().create(loopback, ipv6Config, ctx);
            icmpv6 = icmp6P.provider().create(ipv6, icmpConfig, ctx);
            ip = DualIp.of(ipv4, ipv6);
        }
        Udp udp = udpP.provider().create(ip, udpConfig, ctx);
        Tcp tcp = tcpP.provider().create(ip, tcpConfig, ctx);
        AssembledStack stack = new AssembledStack(netif, ctx, ethernet, arp, ipv4, icmp, ipv6, icmpv6, ip, udp, tcp,
                choices, stackCounters);
        loopback.input(stack.frameInput);
        stack.start(ipv4Config);
        return stack;
    }

    /** Registers the stack's counters in the platform MBean server ({@link StackMBean}), unless disconnecting. */
    void registerMBean() {
        if (!disconnecting.get()) {
            mbean = StackMBean.register(this, context.name());
        }
    }

    /** The stack's MBean, or null when none is registered. */
    StackMBean mbean() {
        return mbean;
    }

    private void start(Ipv4Config config) {
        ipv4.onUndeliverable(icmp::sendError);
        icmp.onError(this::icmpError);
        if (ipv6 != null) {
            ipv6.onUndeliverable(icmpv6::sendError);
            icmpv6.onError(this::icmpError);
        }
        netif.listen(frameInput).whenComplete((v, e) -> disconnect());
        // Answer ARP for our addresses and announce them (Mirage's connect ends with listen).
        // With probing (RFC 5227) an address in use elsewhere is never taken: say so.
        arp.setIps(config.cidrs().stream().map(Ipv4Cidr::address).toList()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("{}: {}", context.name(), e.getMessage());
            }
        });
        if (ipv6 == null) {
            LOG.info("{}: up on {} ({}), addresses {}", context.name(), netif.mac(), netif.mtu(), config.cidrs());
        } else {
            LOG.info("{}: up on {} ({}), addresses {} and IPv6 {}", context.name(), netif.mac(), netif.mtu(),
                    config.cidrs(), ipv6.addressInfo());
        }
    }

    private void otherProtocol(int protocol, IpAddress src, IpAddress dst, ByteBuffer header, ByteBuffer payload) {
        if (protocol == IpProtocol.ICMP) {
            icmp.input(src, dst, payload);
        } else {
            // RFC 1122 3.2.2.1: a protocol nobody here speaks gets a protocol unreachable.
            unknownProtocol.increment();
            ipv4.protocolUnreachable(payload);
        }
    }

    private void otherProtocol6(int protocol, IpAddress src, IpAddress dst, ByteBuffer header, ByteBuffer payload) {
        if (protocol == IpProtocol.ICMPV6) {
            icmpv6.input(src, dst, payload);
        } else {
            // RFC 8200 4: an unrecognized next header gets a parameter problem, code 1.
            unknownProtocol.increment();
            ipv6.protocolUnreachable(payload);
        }
    }

    /** RFC 1122 3.2.2: an ICMP error goes to the transport that sent the datagram it quotes. */
    private void icmpError(IcmpError error) {
        switch (error.protocol()) {
            case IpProtocol.UDP -> udp.icmpError(error);
            case IpProtocol.TCP -> tcp.icmpError(error);
            default -> icmpErrorsUnrouted.increment();
        }
    }

    @Override
    public Udp udp() {
        return udp;
    }

    @Override
    public Tcp tcp() {
        return tcp;
    }

    @Override
    public Ip ip() {
        return ip;
    }

    @Override
    public Optional<Ipv6> ipv6() {
        return Optional.ofNullable(ipv6);
    }

    @Override
    public Optional<Icmpv6> icmpv6() {
        return Optional.ofNullable(icmpv6);
    }

    @Override
    public Ipv4 ipv4() {
        return ipv4;
    }

    @Override
    public Icmpv4 icmp() {
        return icmp;
    }

    @Override
    public Arp arp() {
        return arp;
    }

    @Override
    public Ethernet ethernet() {
        return ethernet;
    }

    @Override
    public Netif netif() {
        return netif;
    }

    @Override
    public EventLoop loop() {
        return context.loop();
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public List<IpAddress> addresses() {
        return ip.configuredIps();
    }

    @Override
    public List<ProviderChoice> providers() {
        return choices;
    }

    @Override
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        NetifStats s = netif.stats();
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("rx.packets", s.rxPackets());
        n.put("rx.bytes", s.rxBytes());
        n.put("rx.drops", s.rxDrops());
        n.put("tx.packets", s.txPackets());
        n.put("tx.bytes", s.txBytes());
        n.put("tx.drops", s.txDrops());
        all.put("netif", n);
        all.put("ethernet", ethernet.counters().snapshot());
        all.put("arp", arp.counters().snapshot());
        all.put("ipv4", ipv4.counters().snapshot());
        all.put("icmp", icmp.counters().snapshot());
        if (ipv6 != null) {
            all.put("ipv6", ipv6.counters().snapshot());
            all.put("icmpv6", icmpv6.counters().snapshot());
        }
        all.put("udp", udp.counters().snapshot());
        all.put("tcp", tcp.counters().snapshot());
        all.put("stack", stackCounters.snapshot());
        return all;
    }

    @Override
    public CompletableFuture<Void> listen() {
        return disconnected;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        if (disconnecting.compareAndSet(false, true)) {
            // Top down, so that no layer writes into one already stopped.
            context.loop().run(() -> tcp.disconnect()
                    .thenCompose(v -> udp.disconnect())
                    .thenCompose(v -> icmp.disconnect())
                    .thenCompose(v -> icmpv6 == null ? CompletableFuture.<Void>completedFuture(null)
                            : icmpv6.disconnect())
                    .thenCompose(v -> ipv4.disconnect())
                    .thenCompose(v -> ipv6 == null ? CompletableFuture.<Void>completedFuture(null)
                            : ipv6.disconnect())
                    .thenCompose(v -> arp.disconnect())
                    .thenCompose(v -> ethernet.disconnect())
                    .thenCompose(v -> netif.disconnect())
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("{}: a layer failed to disconnect cleanly", context.name(), e);
                        }
                        StackMBean bean = mbean;
                        if (bean != null) {
                            bean.unregister();
                        }
                        disconnected.complete(null);
                    }));
        }
        return disconnected;
    }

    @Override
    public String toString() {
        return "DirectStack[" + context.name() + " " + ipv4.cidrs() + (ipv6 == null ? "" : " " + ipv6.cidrs()) + "]";
    }
}
