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
 *   <li>A retransmission is lost again when data sent after it was delivered and a round
 *       trip and a reordering window passed (RFC 8985 6.2, {@link ResentSegments}); it is
 *       resent before anything else, where RFC 6675 alone waits for the RTO.
 *   <li>Data below a SACKed tail loss probe is lost whatever IsLost says
 *       ({@link #markLostBelow}, RFC 8985 6.2).
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
    /** This recovery's retransmissions, to find those lost again (RFC 8985 6.2). */
    private final ResentSegments resent = new ResentSegments();
    /** A retransmission found lost again, to resend before anything else; while {@link #lostAgainPending}. */
    private int lostAgain;
    private boolean lostAgainPending;

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
        int sent = resend(una, scoreboard.nextSackedAfter(una, snd.sndMax));
        highRxt = una + sent;
        rescueRxt = highRxt;
    }

    /** RFC 6675 5 (A): the cumulative ACK covered the RecoveryPoint. The scoreboard stays. */
    void exit() {
        active = false;
        lostMarked = false;
        resent.clear();
        lostAgainPending = false;
    }

    /** A retransmission timeout ends recovery and, per RFC 2018 8, forgets what was SACKed. */
    void onRetransmissionTimeout() {
        active = false;
        lostMarked = false;
        resent.clear();
        lostAgainPending = false;
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

    /**
     * After an ACK during recovery: finds a retransmission lost again (RFC 8985 6.2: one
     * sent after it was delivered, and a round trip and a reordering window passed), to be
     * resent first by {@link #transmit()}.
     */
    void detectLostRetransmissions() {
        int una = snd.sndUna;
        if (lostAgainPending && SeqNum.lt(lostAgain, una)) {
            lostAgainPending = false;
        }
        long rtt = snd.rtx.measured() ? snd.rtx.srtt() : snd.rtx.rto();
        int lost = resent.takeLost(scoreboard, una, snd.now(), rtt);
        if (lost != una - 1 && (!lostAgainPending || SeqNum.lt(lost, lostAgain))) {
            lostAgain = lost;
            lostAgainPending = true;
            snd.onLostRetransmission();
        }
    }

    /** RFC 6675 5 (C): sends segments while cwnd - pipe is at least one segment. */
    void transmit() {
        int pipe = pipe();
        int cwnd = snd.congestion.cwnd();
        if (lostAgainPending) {
            // The lost retransmission is counted in pipe below HighRxt; it is not in flight.
            pipe = Math.max(0, pipe - snd.segmentSize());
        }
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
        if (lostAgainPending) {
            lostAgainPending = false;
            if (SeqNum.ge(lostAgain, una) && !scoreboard.isSacked(lostAgain)) {
                int sent = resend(lostAgain, scoreboard.nextSackedAfter(lostAgain, snd.sndMax));
                if (sent > 0) {
                    return sent;
                }
            }
        }
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
                return resend(start, end);
            }
        }
        return 0;
    }

    /** Resends one segment from {@code from} up to the next SACKed byte; HighRxt follows (C.2). */
    private int resendHole(int from) {
        int sent = resend(from, scoreboard.nextSackedAfter(from, snd.sndMax));
        if (sent > 0) {
            highRxt = from + sent;
        }
        return sent;
    }

    /** Resends one segment from {@code from}, at most to {@code limit}, and remembers when. */
    private int resend(int from, int limit) {
        int sent = snd.retransmit(from, limit);
        if (sent > 0) {
            resent.record(from, from + sent, snd.sndMax, snd.now());
        }
        return sent;
    }
}
