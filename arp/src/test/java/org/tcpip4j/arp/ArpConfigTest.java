package org.tcpip4j.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ArpConfigTest {

    private static final Duration S = Duration.ofSeconds(1);

    private static void rejected(String message, Supplier<ArpConfig> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::get);
        assertEquals(message, e.getMessage());
    }

    @Test
    void valuesThatBreakArithmeticAreRejectedNamingTheFieldAndItsRange() {
        rejected("ArpConfig.cacheSize must be in 1..1048576: 0", () -> new ArpConfig(0, S, 3, S, 16));
        rejected("ArpConfig.cacheSize must be in 1..1048576: 2147483647",
                () -> new ArpConfig(Integer.MAX_VALUE, S, 3, S, 16));
        rejected("ArpConfig.retries must be in 1..100: 0", () -> new ArpConfig(8, S, 0, S, 16));
        rejected("ArpConfig.pendingPacketsPerAddress must be in 0..65536: -1", () -> new ArpConfig(8, S, 3, S, -1));
        rejected("ArpConfig.entryLifetime must be more than 0 and at most PT24H: PT0S",
                () -> new ArpConfig(8, Duration.ZERO, 3, S, 16));
        rejected("ArpConfig.entryLifetime must be more than 0 and at most PT24H: PT2562047788015H12M55S",
                () -> new ArpConfig(8, Duration.ofSeconds(Long.MAX_VALUE / 1000), 3, S, 16));
        rejected("ArpConfig.retryInterval must be more than 0 and at most PT1H: PT-1S",
                () -> new ArpConfig(8, S, 3, S.negated(), 16));
        rejected("ArpConfig.maxPendingResolutions must be in 1..1048576: 0",
                () -> ArpConfig.DEFAULT.withPendingBounds(0, 1000));
        rejected("ArpConfig.maxPendingBytes must be in 0..1073741824: -5",
                () -> ArpConfig.DEFAULT.withPendingBounds(10, -5));
        assertThrows(NullPointerException.class, () -> new ArpConfig(8, null, 3, S, 16));
    }

    @Test
    void theDefaultsAndTheExtremesOfEachRangeAreAccepted() {
        assertEquals(512, ArpConfig.DEFAULT.maxPendingResolutions());
        assertEquals(1 << 20, ArpConfig.DEFAULT.maxPendingBytes());
        new ArpConfig(1, Duration.ofNanos(1), 1, Duration.ofNanos(1), 0).withPendingBounds(1, 0);
        new ArpConfig(1 << 20, Duration.ofDays(1), 100, Duration.ofHours(1), 65_536).withPendingBounds(1 << 20, 1 << 30);
    }
}
