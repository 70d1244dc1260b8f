package org.tcpip4j.it;

import java.util.Locale;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapConfig;
import org.tcpip4j.netif.tap.TapPoller;

/**
 * How the interop suite opens its TAP devices: with the virtio_net_hdr offloads
 * ({@link TapConfig#offloads()}) or with plain frames, as {@code -Dtcpip4j.it.offloads=on|off}
 * says (default on), so the suite runs against the kernel both ways; and read by a reader
 * thread or by the stack's loop itself ({@link TapPoller}), as
 * {@code -Dtcpip4j.it.readOnLoop=on|off} says (default off).
 */
final class InteropTap {

    /** The system property choosing the offloads. */
    static final String PROPERTY = "tcpip4j.it.offloads";

    private InteropTap() {
    }

    /** The system property choosing who reads the TAPs. */
    static final String READ_ON_LOOP = "tcpip4j.it.readOnLoop";

    /** True unless {@value #PROPERTY} is {@code off}; a value other than on or off is a mistake. */
    static boolean offloads() {
        return onOff(PROPERTY, "on");
    }

    private static boolean onOff(String property, String otherwise) {
        String value = System.getProperty(property, otherwise).trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            case "" -> "on".equals(otherwise);
            default -> throw new IllegalArgumentException("-D" + property + " must be on or off, not " + value);
        };
    }

    /** The loop for a stack on an interop TAP: one that reads its TAPs itself with {@value #READ_ON_LOOP} on. */
    static RealTimeEventLoop loop(String name) {
        return onOff(READ_ON_LOOP, "off") ? new RealTimeEventLoop(name, new TapPoller()) : new RealTimeEventLoop(name);
    }

    /** The configuration of the TAP {@code name} with the stack's {@code mac}, offloads as asked. */
    static TapConfig.Builder config(String name, MacAddress mac) {
        return TapConfig.builder().interfaceName(name).mac(mac).offloads(offloads());
    }
}
