package org.tcpip4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.stack.direct.ProviderChoice;
import org.tcpip4j.stack.direct.ProviderNotFoundException;

/** A user's Ethernet provider replaces the default one, and the assembled stack uses it. */
class ProviderSwapTest {

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final MemorySwitch network = new MemorySwitch(loop);

    private DirectStack stack(String name, Ipv4Address address, String ethernetProvider) {
        DirectStackBuilder b = DirectStackBuilder.on(network.port(MacAddress.parse(name.equals("a") ? "02:00:00:00:00:0a" : "02:00:00:00:00:0b")))
                .address(new Ipv4Cidr(address, 24))
                .name(name)
                .seed(name.hashCode());
        if (ethernetProvider != null) {
            b.ethernetProvider(ethernetProvider);
        }
        return b.build();
    }

    private static ProviderChoice ethernetChoice(DirectStack s) {
        return s.providers().stream().filter(c -> c.layer().equals("ethernet")).findFirst().orElseThrow();
    }

    @Test
    void aNamedProviderReplacesTheDefaultAndCarriesTheTraffic() throws Exception {
        DirectStack a = stack("a", A, CountingEthernetProvider.NAME);
        DirectStack b = stack("b", B, null);

        ProviderChoice choice = ethernetChoice(a);
        assertEquals("counting", choice.name());
        assertEquals("named on the builder", choice.reason());
        assertTrue(choice.available().containsAll(java.util.List.of("counting", "default")), choice.toString());
        assertEquals("default", ethernetChoice(b).name());
        CountingEthernet counting = assertInstanceOf(CountingEthernet.class, a.ethernet());
        assertFalse(b.ethernet() instanceof CountingEthernet);

        // UDP echo from a to b, then a ping: both go through the counting layer of a.
        b.listenUdp(7, (src, dst, srcPort, payload) -> {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            b.udp().write(dst, 7, src, srcPort, -1, copy);
        });
        CompletableFuture<String> echoed = new CompletableFuture<>();
        a.listenUdp(40000, (src, dst, srcPort, payload) -> echoed.complete(StandardCharsets.UTF_8.decode(payload).toString()));
        a.udp().write(null, 40000, B, 7, -1, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello", loop.await(echoed, Duration.ofSeconds(5)));
        Duration rtt = loop.await(a.icmp().ping(B, 56, Duration.ofSeconds(2)), Duration.ofSeconds(5));
        assertFalse(rtt.isNegative());

        assertTrue(counting.sentArp() >= 1, "a resolved b through its own layer");
        assertTrue(counting.receivedArp() >= 1);
        assertTrue(counting.sentIpv4() >= 2, "the datagram and the echo request");
        assertTrue(counting.receivedIpv4() >= 2, "the echoed datagram and the echo reply");
        assertEquals(counting.receivedIpv4(), a.counters().get("ethernet").get("counting.rx.ipv4"));
        assertFalse(b.counters().get("ethernet").containsKey("counting.rx.ipv4"));
        a.disconnect();
        b.disconnect();
        loop.runFor(Duration.ofSeconds(1));
    }

    @Test
    void theSystemPropertyNamesAProviderWhenTheBuilderDoesNot() {
        System.setProperty("tcpip4j.provider.ethernet", CountingEthernetProvider.NAME);
        try {
            DirectStack a = stack("a", A, null);
            assertInstanceOf(CountingEthernet.class, a.ethernet());
            assertEquals("named by system property tcpip4j.provider.ethernet", ethernetChoice(a).reason());
        } finally {
            System.clearProperty("tcpip4j.provider.ethernet");
        }
    }

    @Test
    void aMissingProviderIsReportedWithTheAvailableOnes() {
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> stack("a", A, "no-such-layer"));
        assertTrue(e.getMessage().contains("no ethernet provider named 'no-such-layer'"), e.getMessage());
        assertTrue(e.getMessage().contains("counting (org.tcpip4j.examples.CountingEthernetProvider)"), e.getMessage());
        assertTrue(e.getMessage().contains("default ("), e.getMessage());
    }
}
