package org.tcpip4j.netif.impair;

/**
 * A snapshot of what the impairments of one direction of an {@link ImpairedNetif} did.
 * A duplicated frame counts once in {@code duplicated} and its two copies twice in
 * {@code forwarded}.
 *
 * @param offered frames that entered the impairments
 * @param forwarded frames (copies included) that came out and were passed on
 * @param droppedByBlackout frames dropped inside a blackout window
 * @param droppedByMtu frames dropped for being larger than the maximum frame size
 * @param droppedByLoss frames dropped by uniform loss
 * @param droppedByBurst frames dropped by bursty (Gilbert-Elliott) loss
 * @param droppedByQueue frames dropped because the bandwidth queue was full
 * @param duplicated frames delivered twice
 * @param corrupted frames (copies) that had bits flipped
 * @param trailed frames (copies) that had bytes appended
 * @param delayed frames (copies) that went through the delay line
 * @param reordered frames that were held back and overtaken by later ones
 */
public record ImpairmentStats(
        long offered,
        long forwarded,
        long droppedByBlackout,
        long droppedByMtu,
        long droppedByLoss,
        long droppedByBurst,
        long droppedByQueue,
        long duplicated,
        long corrupted,
        long trailed,
        long delayed,
        long reordered) {

    /** Every frame dropped, whatever the reason. */
    public long dropped() {
        return droppedByBlackout + droppedByMtu + droppedByLoss + droppedByBurst + droppedByQueue;
    }
}
