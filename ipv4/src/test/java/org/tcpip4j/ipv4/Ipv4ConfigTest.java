package org.tcpip4j.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Cidr;

class Ipv4ConfigTest {

    private static final Ipv4Cidr CIDR = Ipv4Cidr.parse("198.18.0.2/24");
    private static final Ipv4Config BASE = Ipv4Config.of(CIDR);
    private static final Duration S = Duration.ofSeconds(1);

    private static void rejected(String message, Supplier<Ipv4Config> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::get);
        assertEquals(message, e.getMessage());
    }

    @Test
    void valuesThatBreakArithmeticAreRejectedNamingTheFieldAndItsRange() {
        rejected("Ipv4Config.cidrs must hold at least one address", () -> BASE.withAddresses(List.of(), null));
        rejected("Ipv4Config.defaultTtl must be in 1..255: 0",
                () -> new Ipv4Config(List.of(CIDR), null, 0, S, 64, 1 << 20));
        rejected("Ipv4Config.defaultTtl must be in 1..255: 256",
                () -> new Ipv4Config(List.of(CIDR), null, 256, S, 64, 1 << 20));
        rejected("Ipv4Config.reassemblyTimeout must be more than 0 and at most PT1H: PT0S",
                () -> BASE.withReassembly(Duration.ZERO, 64, 1 << 20, 1 << 18));
        rejected("Ipv4Config.reassemblyTimeout must be more than 0 and at most PT1H: PT8760H",
                () -> BASE.withReassembly(Duration.ofDays(365), 64, 1 << 20, 1 << 18));
        rejected("Ipv4Config.maxFragmentsPerDatagram must be in 1..8192: 0",
                () -> BASE.withReassembly(S, 0, 1 << 20, 1 << 18));
        rejected("Ipv4Config.maxReassemblyBytes must be in 0..1073741824: -1",
                () -> BASE.withReassembly(S, 64, -1, 1 << 18));
        rejected("Ipv4Config.maxReassemblyBytes must be in 0..1073741824: 2147483647",
                () -> BASE.withReassembly(S, 64, Integer.MAX_VALUE, 1 << 18));
        rejected("Ipv4Config.maxReassemblyBytesPerSource must be in 0..1073741824: -8",
                () -> BASE.withReassembly(S, 64, 1 << 20, -8));
        rejected("Ipv4Config.pathMtuCacheSize must be in 0..65536: 2147483647",
                () -> BASE.withPathMtuCache(Integer.MAX_VALUE, S));
        rejected("Ipv4Config.pathMtuLifetime must be more than 0 and at most PT24H: PT-1S",
                () -> BASE.withPathMtuCache(16, S.negated()));
        rejected("Ipv4Config.maxIncompleteDatagrams must be in 0..1048576: -1",
                () -> BASE.withIncompleteDatagrams(-1, 1));
        rejected("Ipv4Config.maxIncompleteDatagramsPerSource must be in 0..1048576: 2000000",
                () -> BASE.withIncompleteDatagrams(10, 2_000_000));
        assertThrows(NullPointerException.class, () -> BASE.withPathMtuCache(16, null));
    }

    @Test
    void theDefaultsAndTheExtremesOfEachRangeAreAccepted() {
        assertEquals(1024, BASE.maxIncompleteDatagrams());
        assertEquals(256, BASE.maxIncompleteDatagramsPerSource());
        BASE.withReassembly(Duration.ofNanos(1), 1, 0, 0).withPathMtuCache(0, Duration.ofNanos(1))
                .withIncompleteDatagrams(0, 0);
        BASE.withReassembly(Duration.ofHours(1), 8192, 1 << 30, 1 << 30).withPathMtuCache(1 << 16, Duration.ofDays(1))
                .withIncompleteDatagrams(1 << 20, 1 << 20);
    }
}
