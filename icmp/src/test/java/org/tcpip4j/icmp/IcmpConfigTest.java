package org.tcpip4j.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class IcmpConfigTest {

    private static void rejected(String message, Supplier<IcmpConfig> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::get);
        assertEquals(message, e.getMessage());
    }

    @Test
    void valuesThatBreakArithmeticAreRejectedNamingTheFieldAndItsRange() {
        rejected("IcmpConfig.errorsPerSecond must be in 0..1000000: -1", () -> new IcmpConfig(-1, 5));
        // A rate above a billion per second made a token cost zero nanoseconds: no limit at all.
        rejected("IcmpConfig.errorsPerSecond must be in 0..1000000: 2000000000", () -> new IcmpConfig(2_000_000_000, 5));
        rejected("IcmpConfig.errorBurst must be in 1..1000000: 0", () -> new IcmpConfig(10, 0));
        rejected("IcmpConfig.errorBurst must be in 1..1000000: 2147483647", () -> new IcmpConfig(1, Integer.MAX_VALUE));
        rejected("IcmpConfig.errorsPerSecondPerDestination must be in 0..1000000: -3",
                () -> IcmpConfig.DEFAULT.withPerDestination(-3, 6, 16));
        rejected("IcmpConfig.errorBurstPerDestination must be in 1..1000000: 0",
                () -> IcmpConfig.DEFAULT.withPerDestination(1, 0, 16));
        rejected("IcmpConfig.destinationTableSize must be in 1..1048576: 0",
                () -> IcmpConfig.DEFAULT.withPerDestination(1, 6, 0));
    }

    @Test
    void theDefaultsAreLinuxs() {
        assertEquals(100, IcmpConfig.DEFAULT.errorsPerSecond());
        assertEquals(1, IcmpConfig.DEFAULT.errorsPerSecondPerDestination());
        assertEquals(6, IcmpConfig.DEFAULT.errorBurstPerDestination());
        assertFalse(IcmpConfig.DEFAULT.echoBroadcasts());
        assertTrue(IcmpConfig.DEFAULT.withEchoBroadcasts(true).echoBroadcasts());
        new IcmpConfig(0, 1).withPerDestination(0, 1, 1);
        new IcmpConfig(1_000_000, 1_000_000).withPerDestination(1_000_000, 1_000_000, 1 << 20);
    }
}
