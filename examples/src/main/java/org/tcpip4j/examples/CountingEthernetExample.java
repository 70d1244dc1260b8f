package org.tcpip4j.examples;

import java.time.Duration;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * A custom layer swapped in through ServiceLoader: stack a gets the "counting" Ethernet
 * layer of this module (found because the module {@code provides} it), stack b the default
 * one, and a ping from a to b goes through it. Prints which provider each layer of a got,
 * and the counting layer's counters.
 */
public final class CountingEthernetExample {

    private CountingEthernetExample() {
    }

    /** Runs the example; no root needed. */
    public static void main(String[] args) throws Exception {
        try (var loop = new RealTimeEventLoop()) {
            var network = new MemorySwitch(loop);
            DirectStack a = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01")))
                    .address(Ipv4Cidr.parse("198.18.0.1/24")).ethernetProvider(CountingEthernetProvider.NAME).build();
            DirectStack b = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02")))
                    .address(Ipv4Cidr.parse("198.18.0.2/24")).build();
            Duration rtt = a.icmp().ping(Ipv4Address.parse("198.18.0.2"), 56, Duration.ofSeconds(2)).join();
            System.out.println("ping 198.18.0.2: " + rtt.toNanos() / 1000 + " us");
            a.providers().forEach(choice -> System.out.println("a uses " + choice));
            a.counters().get("ethernet").forEach((name, value) -> {
                if (name.startsWith("counting.")) {
                    System.out.println("ethernet." + name + "=" + value);
                }
            });
            a.disconnect().join();
            b.disconnect().join();
        }
    }
}
