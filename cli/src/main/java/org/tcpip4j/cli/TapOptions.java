package org.tcpip4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapConfig;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.netif.tap.TapPoller;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options that put a stack on a TAP device: shared by {@code serve}, {@code ping} and {@code perf}. */
final class TapOptions {

    @Option(names = "--tap", paramLabel = "NAME",
            description = "The TAP device: opened when it exists, created when missing (needs root or CAP_NET_ADMIN).")
    String tap;

    @Option(names = "--ip", paramLabel = "A.B.C.D/PREFIX", converter = Converters.Cidr.class,
            description = "The stack's address and subnet, e.g. 198.18.5.2/24.")
    Ipv4Cidr ip;

    @Option(names = "--gateway", paramLabel = "A.B.C.D", converter = Converters.Address.class,
            description = "The default gateway (default: none, only the subnet is reachable).")
    Ipv4Address gateway;

    @Option(names = "--ip6", paramLabel = "ADDR/PREFIX", converter = Converters.Cidr6.class,
            description = "An IPv6 address and on-link prefix, e.g. 2001:2::2/64 (repeatable): the stack then "
                    + "speaks IPv6 beside IPv4.")
    List<Ipv6Cidr> ip6 = new ArrayList<>();

    @Option(names = "--router6", paramLabel = "ADDR", converter = Converters.Address6.class,
            description = "The IPv6 default router (default: learned from router advertisements).")
    Ipv6Address router6;

    @Option(names = "--slaac",
            description = "Form IPv6 addresses from router advertisements (SLAAC, RFC 4862, stable identifiers "
                    + "of RFC 7217): the stack then speaks IPv6 beside IPv4.")
    boolean slaac;

    @Option(names = "--mac", paramLabel = "MAC", converter = Converters.Mac.class,
            description = "The stack's MAC address (default: a random locally administered one).")
    MacAddress mac;

    @Option(names = "--mtu", paramLabel = "BYTES",
            description = "The MTU to set on the device (default: keep the device's, 1500 for a new one).")
    int mtu;

    @Option(names = "--offloads", paramLabel = "on|off", arity = "1", defaultValue = "on", converter = Converters.Switch.class,
            description = "Checksum and TCP segmentation offloads shared with the kernel through a virtio_net_hdr on "
                    + "every frame: the kernel completes and cuts the stack's TCP segments, and hands over its own "
                    + "with checksums vouched for and coalesced up to 64 KiB (default: ${DEFAULT-VALUE}); off gives "
                    + "plain frames of at most the MTU. Impairments turn them off: they act on wire-size frames.")
    Converters.OnOff offloads = Converters.OnOff.ON;

    @Option(names = "--read-on-loop", paramLabel = "on|off", arity = "1", defaultValue = "on",
            converter = Converters.Switch.class,
            description = "The stack's event loop reads the TAP itself, waiting in poll(2) on it when idle (default: "
                    + "${DEFAULT-VALUE}); off gives the TAP a reader thread of its own that hands frames over to the "
                    + "loop.")
    Converters.OnOff readOnLoop = Converters.OnOff.ON;

    /** Fails with a usage error unless {@code --tap} and {@code --ip} were given and valid. */
    void requireDevice(CommandSpec spec) {
        if (tap == null) {
            throw Usage.error(spec, "missing --tap NAME, the TAP device to use");
        }
        if (ip == null) {
            throw Usage.error(spec, "missing --ip A.B.C.D/PREFIX, the stack's address and subnet");
        }
        if (mtu != 0 && (mtu < TapConfig.MIN_MTU || mtu > TapConfig.MAX_MTU)) {
            throw Usage.error(spec, "--mtu", mtu, "must be " + TapConfig.MIN_MTU + " to " + TapConfig.MAX_MTU);
        }
    }

    /** Whether the stack gets IPv6: an address, a router or SLAAC. */
    boolean hasIpv6() {
        return !ip6.isEmpty() || router6 != null || slaac;
    }

    /** A builder of the stack on {@code netif} with the addresses these options give. */
    DirectStackBuilder stack(Netif netif) {
        return configure(DirectStackBuilder.on(netif));
    }

    /** {@code builder} with the addresses these options give. */
    DirectStackBuilder configure(DirectStackBuilder builder) {
        builder.address(ip).gateway(gateway);
        ip6.forEach(builder::address6);
        return builder.router6(router6).slaac(slaac);
    }

    /**
     * Waits, at most {@code seconds}, until Duplicate Address Detection has passed the
     * IPv6 addresses and, with SLAAC, until one address came from a router; says on
     * {@code err} what is still missing after that. Does nothing for a stack without IPv6.
     */
    static void awaitIpv6(DirectStack stack, boolean slaac, double seconds, PrintStream err, String command) {
        Ipv6 ipv6 = stack.ipv6().orElse(null);
        if (ipv6 == null) {
            return;
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            ipv6.addressesReady().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            while (slaac && System.nanoTime() < deadline && ipv6.addressInfo().stream()
                    .noneMatch(a -> a.origin() == Ipv6AddressInfo.Origin.SLAAC && a.isUsable())) {
                Thread.sleep(50);
            }
        } catch (TimeoutException e) {
            err.println("tcpip4j " + command + ": IPv6 addresses still tentative after " + seconds + " s");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("tcpip4j " + command + ": IPv6 addresses: " + e.getCause().getMessage());
            return;
        }
        if (slaac && ipv6.addressInfo().stream().noneMatch(a -> a.origin() == Ipv6AddressInfo.Origin.SLAAC)) {
            err.println("tcpip4j " + command + ": no router advertised a prefix within " + seconds
                    + " s; IPv6 has its link-local address only");
        }
        for (Ipv6AddressInfo a : ipv6.addressInfo()) {
            if (a.state() == Ipv6AddressInfo.State.DUPLICATE) {
                err.println("tcpip4j " + command + ": " + a.cidr().address()
                        + " is in use by another host on the link (duplicate address detection); not used");
            }
        }
    }

    /** A loop for a stack on the device: one that reads the device itself with {@code --read-on-loop on}. */
    RealTimeEventLoop newLoop(String name) {
        return readOnLoop.on() ? new RealTimeEventLoop(name, new TapPoller()) : new RealTimeEventLoop(name);
    }

    /**
     * The device's configuration: created when missing, brought up, deleted on exit if we
     * created it; with offloads as {@code --offloads} asks, but never under impairments
     * ({@code impaired}), which delay, drop and reorder wire-size frames one by one.
     */
    TapConfig config(boolean impaired) {
        return TapConfig.builder().interfaceName(tap).mac(mac).mtu(mtu).offloads(offloads.on() && !impaired).build();
    }

    /** The banner's line on offloads for {@code device} opened with {@link #config(boolean) config(impaired)}. */
    String describeOffloads(TapNetif device, boolean impaired) {
        if (!offloads.on()) {
            return "offloads off (--offloads off)";
        }
        if (impaired) {
            return "offloads off (impairments act on wire-size frames)";
        }
        NetifOffloads o = device.offloads();
        return o.equals(NetifOffloads.NONE)
                ? "offloads off (the kernel refused them; the warning above says why)"
                : "offloads " + o.describe();
    }
}
