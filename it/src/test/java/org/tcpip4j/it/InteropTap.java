package org.tcpip4j.it;

import java.util.Locale;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.tap.TapConfig;

/**
 * How the interop suite opens its TAP devices: with the virtio_net_hdr offloads
 * ({@link TapConfig#offloads()}) or with plain frames, as {@code -Dtcpip4j.it.offloads=on|off}
 * says (default on), so the suite runs against the kernel both ways.
 */
final class InteropTap {

    /** The system property choosing the offloads. */
    static final String PROPERTY = "tcpip4j.it.offloads";

    private InteropTap() {
    }

    /** True unless {@value #PROPERTY} is {@code off}; a value other than on or off is a mistake. */
    static boolean offloads() {
        String value = System.getProperty(PROPERTY, "on").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on", "" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be on or off, not " + value);
        };
    }

    /** The configuration of the TAP {@code name} with the stack's {@code mac}, offloads as asked. */
    static TapConfig.Builder config(String name, MacAddress mac) {
        return TapConfig.builder().interfaceName(name).mac(mac).offloads(offloads());
    }
}
