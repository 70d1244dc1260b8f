package org.tcpip4j.netif.impair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration record: what it accepts and what it rejects. */
class ImpairmentTest {

    @Test
    void noneImpairsNothing() {
        assertTrue(Impairment.NONE.isNone());
        assertFalse(Impairment.builder().loss(0.1).build().isNone());
        assertFalse(Impairment.builder().blackout(Duration.ZERO, Duration.ofSeconds(1)).build().isNone());
        assertFalse(Impairment.builder().burstLoss(Impairment.BurstLoss.gilbert(0.1, 0.5)).build().isNone());
    }

    @Test
    void impossibleConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Impairment.builder().loss(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> Impairment.builder().duplicate(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> Impairment.builder().loss(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> Impairment.builder().delay(Duration.ofMillis(1), Duration.ofMillis(2)).build());
        assertThrows(IllegalArgumentException.class,
                () -> Impairment.builder().reorder(0.1, 0, Duration.ofMillis(1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> Impairment.builder().reorder(0.1, 2, Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> Impairment.builder().bandwidth(1000, 0).build());
        assertThrows(IllegalArgumentException.class, () -> Impairment.builder().corrupt(0.1, 0, 0).build());
        assertThrows(IllegalArgumentException.class, () -> new Impairment.Blackout(10, 5));
        assertThrows(IllegalArgumentException.class, () -> Impairment.BurstLoss.gilbert(0.1, 0));
    }

    @Test
    void blackoutsAreKeptInTimeOrder() {
        Impairment i = Impairment.builder()
                .blackout(Duration.ofSeconds(5), Duration.ofSeconds(6))
                .blackout(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
        assertEquals(List.of(Impairment.Blackout.between(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                Impairment.Blackout.between(Duration.ofSeconds(5), Duration.ofSeconds(6))), i.blackouts());
        assertTrue(i.blackouts().get(0).contains(1_000_000_000L));
        assertFalse(i.blackouts().get(0).contains(2_000_000_000L));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        Impairment i = Impairment.builder().loss(0.1).duplicate(0.2).reorder(0.3, 4, Duration.ofMillis(5))
                .delay(Duration.ofMillis(6), Duration.ofMillis(1)).corrupt(0.4, 2, 14).trailer(0.5, 3)
                .maxFrameSize(900).bandwidth(1_000_000, 7).burstLoss(Impairment.BurstLoss.gilbert(0.01, 0.2))
                .blackout(Duration.ZERO, Duration.ofMillis(1)).build();
        assertEquals(i, i.toBuilder().build());
        assertEquals(0.9, i.toBuilder().loss(0.9).build().lossProbability());
    }

    @Test
    void burstLossKnowsItsLongRunLossRate() {
        Impairment.BurstLoss g = Impairment.BurstLoss.gilbert(0.05, 0.45);
        assertEquals(0.1, g.badStateShare(), 1e-12);
        assertEquals(0.1, g.meanLossRate(), 1e-12);
        assertTrue(Impairment.BurstLoss.NONE.isNone());
        assertEquals(0, Impairment.BurstLoss.NONE.meanLossRate());
    }
}
