package org.tcpip4j.cli;

import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.tap.TapConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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

    @Option(names = "--mac", paramLabel = "MAC", converter = Converters.Mac.class,
            description = "The stack's MAC address (default: a random locally administered one).")
    MacAddress mac;

    @Option(names = "--mtu", paramLabel = "BYTES",
            description = "The MTU to set on the device (default: keep the device's, 1500 for a new one).")
    int mtu;

    /** Fails with a usage error unless {@code --tap} and {@code --ip} were given and valid. */
    void requireDevice(CommandSpec spec) {
        if (tap == null || ip == null) {
            throw new ParameterException(spec.commandLine(), "--tap NAME and --ip A.B.C.D/PREFIX are required");
        }
        if (mtu != 0 && (mtu < TapConfig.MIN_MTU || mtu > TapConfig.MAX_MTU)) {
            throw new ParameterException(spec.commandLine(),
                    "--mtu must be in " + TapConfig.MIN_MTU + ".." + TapConfig.MAX_MTU);
        }
    }

    /** The device's configuration: created when missing, brought up, deleted on exit if we created it. */
    TapConfig config() {
        return TapConfig.builder().interfaceName(tap).mac(mac).mtu(mtu).build();
    }
}
