package org.tcpip4j.tcp.internal;

/**
 * Conservative SACK-based loss recovery (RFC 6675) for one {@link Sender}, and the
 * {@link SackScoreboard} it reads. Used when both ends agreed on SACK (RFC 2018 2); NewReno
 * (RFC 6582) stays the algorithm of connections without it.
 *
 * <ul>
 *   <li>Entry (RFC 6675 5, steps 1-4): on the third duplicate ACK, or earlier once
 *       IsLost(SND.UNA) holds; ssthresh = cwnd = FlightSize / 2 (at least 2 SMSS), the first
 *       segment is resent, and HighRxt and RescueRxt are set past it.
 *   <li>During recovery, each ACK updates the scoreboard and (C) sends while
 *       cwnd - pipe is at least one segment, choosing each segment with NextSeg(): a lost
 *       hole above HighRxt (rule 1), else new data (2), else a hole not yet known lost (3),
 *       else once per recovery the end of what is outstanding (4, the rescue). SACKed data
 *       is never resent.
 *   <li>Exit (A): the cumulative ACK reaches the RecoveryPoint (the sender's
 *       {@code recover}). A retransmission timeout ends recovery too, and forgets the
 *       scoreboard (RFC 2018 8: the receiver may have reneged).
 * </ul>
 *
 * <p>HighRxt is kept as the sequence number after the highest resent byte. Loop only.
 */
final class SackRecovery {

    private final Sender snd;
    /** What the peer selectively acknowledged. */
    final SackScoreboard scoreboard = new SackScoreboard();
    private boolean active;
    /** RFC 6675 2: HighRxt, exclusive. */
    private int highRxt;
    /** RFC 6675 2: RescueRxt, exclusive. */
    private int rescueRxt;
    /**
     * Unacknowledged data below this sequence number is lost whatever IsLost says: a
     * segment sent later arrived (RFC 8985 6.2), as a tail loss probe shows. Meaningful
     * while {@link #lostMarked}.
     */
    private int lostBelow;
    private boolean lostMarked;

    SackRecovery(Sender snd) {
        this.snd = snd;
    }

    /** True during RFC 6675 loss recovery. */
    boolean active() {
        return active;
    }

    /**
     * RFC 6675 5 (4.3): enters recovery by resending the first segment presumed lost; the
     * caller has set RecoveryPoint and halved cwnd. (4.5) goes on to (C) in the caller's
     * output().
     */
    void enter() {
        active = true;
        int una = snd.sndUna;
        int sent = snd.retransmit(una, scoreboard.nextSackedAfter(una, snd.sndMax));
        highRxt = una + sent;
        rescueRxt = highRxt;
    }

    /** RFC 6675 5 (A): the cumulative ACK covered the RecoveryPoint. The scoreboard stays. */
    void exit() {
        active = false;
        lostMarked = false;
    }

    /** A retransmission timeout ends recovery and, per RFC 2018 8, forgets what was SACKed. */
    void onRetransmissionTimeout() {
        active = false;
        lostMarked = false;
        scoreboard.clear();
    }

    /**
     * Marks all unSACKed data below {@code seq} lost (RFC 8985 6.2: it was sent before a
     * segment that was delivered, longer ago than a round trip and a reordering window), so
     * that NextSeg() resends it (rule 1) and pipe does not count it; until recovery ends.
     */
    void markLostBelow(int seq) {
        lostBelow = lostMarked ? SeqNum.max(lostBelow, seq) : seq;
        lostMarked = true;
    }

    /** True when {@code seq} is lost by RFC 6675's IsLost or by {@link #markLostBelow}. */
    private boolean isLost(int seq) {
        return lostMarked && SeqNum.lt(seq, lostBelow) || scoreboard.isLost(seq, snd.mss);
    }

    /** The current pipe (RFC 6675 4, SetPipe()), for tests and diagnostics. */
    int pipe() {
        int una = snd.sndUna;
        int lost = lostMarked && SeqNum.gt(lostBelow, una) ? lostBelow : una;
        return scoreboard.pipe(una, snd.sndMax, SeqNum.max(highRxt, una), snd.mss, lost);
    }

    /** RFC 6675 5 (C): sends segments while cwnd - pipe is at least one segment. */
    void transmit() {
        int pipe = pipe();
        int cwnd = snd.congestion.cwnd();
        while (cwnd - pipe >= snd.segmentSize()) {
            int sent = nextSegment();
            if (sent <= 0) {
                return;
            }
            pipe += sent; // (C.4)
        }
    }

    /** RFC 6675 4, NextSeg(), and sends the segment it picks; returns the sequence numbers sent. */
    private int nextSegment() {
        int una = snd.sndUna;
        int from = scoreboard.skipSacked(SeqNum.max(highRxt, una));
        boolean belowSacked = !scoreboard.isEmpty() && SeqNum.lt(from, scoreboard.highestSacked());
        // Rule 1: the first unSACKed byte above HighRxt, below the highest SACKed, and lost.
        if (belowSacked && isLost(from)) {
            return resendHole(from);
        }
        // Rule 2: new data, as far as the peer's window allows.
        int sent = snd.sendNew(snd.peerWindowLeft());
        if (sent > 0) {
            return sent;
        }
        // Rule 3: a hole not known to be lost yet.
        if (belowSacked) {
            return resendHole(from);
        }
        // Rule 4: one rescue per recovery, of the highest outstanding unSACKed data.
        if (SeqNum.gt(una, rescueRxt)) {
            int end = snd.sndMax;
            if (!scoreboard.isEmpty() && SeqNum.ge(scoreboard.highestSacked(), end)) {
                end = scoreboard.rangeStart(scoreboard.rangeCount() - 1);
            }
            int start = SeqNum.max(una, end - snd.segmentSize());
            start = scoreboard.skipSacked(start);
            if (SeqNum.lt(start, end)) {
                rescueRxt = snd.recover; // HighRxt is not moved (RFC 6675 4, rule 4)
                return snd.retransmit(start, end);
            }
        }
        return 0;
    }

    /** Resends one segment from {@code from} up to the next SACKed byte; HighRxt follows (C.2). */
    private int resendHole(int from) {
        int sent = snd.retransmit(from, scoreboard.nextSackedAfter(from, snd.sndMax));
        if (sent > 0) {
            highRxt = from + sent;
        }
        return sent;
    }
}
