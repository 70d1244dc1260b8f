package org.tcpip4j.netif.impair;

/**
 * The counters behind {@link ImpairmentStats}: written on the loop by one direction's
 * pipeline, read by {@link #snapshot()} from any thread (single writer, volatile fields,
 * as {@link org.tcpip4j.netif.NetifStats.Counters}).
 */
final class ImpairmentCounters {
    volatile long offered;
    volatile long forwarded;
    volatile long droppedByBlackout;
    volatile long droppedByMtu;
    volatile long droppedByLoss;
    volatile long droppedByBurst;
    volatile long droppedByQueue;
    volatile long duplicated;
    volatile long corrupted;
    volatile long trailed;
    volatile long delayed;
    volatile long reordered;

    ImpairmentStats snapshot() {
        return new ImpairmentStats(offered, forwarded, droppedByBlackout, droppedByMtu, droppedByLoss,
                droppedByBurst, droppedByQueue, duplicated, corrupted, trailed, delayed, reordered);
    }

    void reset() {
        offered = forwarded = droppedByBlackout = droppedByMtu = droppedByLoss = droppedByBurst = 0;
        droppedByQueue = duplicated = corrupted = trailed = delayed = reordered = 0;
    }
}
