/**
 * An in-memory Ethernet network for simulations and tests (Mirage's vnetif backends).
 *
 * <ul>
 *   <li>{@link org.tcpip4j.netif.memory.MemorySwitch}: a learning Ethernet switch that lives
 *       on one event loop and connects any number of ports; frames are copied once, into
 *       pooled buffers of the switch, and delivered in order as tasks of the loop.
 *   <li>{@link org.tcpip4j.netif.memory.MemoryNetif}: one port of the switch, a
 *       {@link org.tcpip4j.netif.Netif} a stack stands on as it would on a TAP device.
 * </ul>
 *
 * <p>Everything here runs on the switch's loop, one thread, without locks. With a
 * {@link org.tcpip4j.netif.loop.VirtualTimeEventLoop} a whole network of stacks runs
 * deterministically in virtual time. Impairments (loss, delay, reordering, ...) and
 * packet capture are decorators of any netif, in {@code org.tcpip4j.netif.decorators}.
 */
module org.tcpip4j.netif.memory {
    requires transitive org.tcpip4j.netif;
    requires org.slf4j;

    exports org.tcpip4j.netif.memory;
}
