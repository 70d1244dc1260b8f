/**
 * NETIF on a Linux TAP device, through the FFM API (no JNI, no JNA).
 *
 * <ul>
 *   <li>{@code org.tcpip4j.netif.tap}: {@link org.tcpip4j.netif.tap.TapNetif} (the device),
 *       {@link org.tcpip4j.netif.tap.TapConfig} (which device, which MAC and MTU),
 *       {@link org.tcpip4j.netif.tap.TapException} (why a device could not be opened) and
 *       {@link org.tcpip4j.netif.tap.TapPoller} (a loop that reads its devices itself).
 *   <li>{@code org.tcpip4j.netif.tap.internal} (not exported): the libc downcalls, the
 *       kernel's structures and constants, the reader thread and its hand-off to the loop.
 * </ul>
 *
 * <p>The JVM must grant this module native access:
 * {@code --enable-native-access=org.tcpip4j.netif.tap}.
 */
module org.tcpip4j.netif.tap {
    requires transitive org.tcpip4j.netif;
    requires org.slf4j;

    exports org.tcpip4j.netif.tap;
}
