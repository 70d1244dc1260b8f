package org.tcpip4j.netif.impair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netif.impair.TestFrames.bytesOf;
import static org.tcpip4j.netif.impair.TestFrames.numbered;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * Same seed, same configuration, same traffic: the same frames, byte for byte, in the same
 * order, at the same virtual times; another seed gives another trace.
 */
class SameSeedReplayTest {

    private static final Impairment EVERYTHING = Impairment.builder()
            .loss(0.02)
            .burstLoss(Impairment.BurstLoss.gilbert(0.01, 0.3))
            .duplicate(0.02)
            .reorder(0.05, 2, Duration.ofMillis(3))
            .delay(Duration.ofMillis(2), Duration.ofMillis(1))
            .corrupt(0.03, 2, 0)
            .trailer(0.02, 4)
            .maxFrameSize(1400)
            .blackout(Duration.ofMillis(40), Duration.ofMillis(45))
            .bandwidth(50_000_000, 4)
            .build();

    /** What came out, when, and the counters of both directions. */
    private record Trace(List<String> frames, ImpairmentStats receive, ImpairmentStats send) {
    }

    /** Runs 3000 frames each way through an impaired device. */
    private static Trace trace(long seed) {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        ScriptedNetif device = new ScriptedNetif(loop);
        ImpairedNetif netif = ImpairedNetif.onBoth(device, EVERYTHING, new SplittableRandom(seed));
        List<String> trace = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        netif.listen(frame -> trace.add("rx " + loop.nanoTime() + " " + hex.formatHex(bytesOf(frame))));
        SplittableRandom traffic = new SplittableRandom(1234); // the same traffic for every seed
        for (int i = 0; i < 3000; i++) {
            device.inject(numbered(i, traffic.nextInt(60, 1515)));
            byte[] out = numbered(100_000 + i, traffic.nextInt(60, 1515));
            netif.write(out.length, (buf, off, max) -> {
                buf.put(off, out);
                return out.length;
            });
            loop.runFor(traffic.nextLong(5_000, 400_000)); // near the link's capacity: the queue fills at times
        }
        loop.runUntilIdle();
        for (ScriptedNetif.Written w : device.written()) {
            trace.add("tx " + w.nanos() + " " + hex.formatHex(w.bytes()));
        }
        return new Trace(trace, netif.receiveStats(), netif.sendStats());
    }

    @Test
    void theSameSeedReplaysTheSameTrace() {
        Trace first = trace(42);
        Trace second = trace(42);
        assertTrue(first.frames().size() > 5000, "most frames come through: " + first.frames().size());
        for (ImpairmentStats s : List.of(first.receive(), first.send())) {
            for (long count : new long[] {s.droppedByBlackout(), s.droppedByMtu(), s.droppedByLoss(),
                    s.droppedByBurst(), s.droppedByQueue(), s.duplicated(), s.corrupted(), s.trailed(),
                    s.delayed(), s.reordered()}) {
                assertTrue(count > 0, "every impairment takes part in the replay: " + s);
            }
        }
        assertEquals(first, second);
    }

    @Test
    void anotherSeedGivesAnotherTrace() {
        assertNotEquals(trace(42), trace(43));
    }
}
