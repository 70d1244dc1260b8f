package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.congestion.CongestionControl;

/**
 * The sender's loss state and what follows from it (Linux's {@code ca_state}, RFC 6675 5,
 * RFC 6582, RFC 6937, RFC 5682, RFC 3522, RFC 3708):
 *
 * <ul>
 *   <li>{@link State#OPEN}: nothing amiss; {@link State#DISORDER}: SACKs or duplicate ACKs
 *       but nothing lost yet; the window grows on ACKs.
 *   <li>{@link State#RECOVERY}: a loss was detected (RACK, DupThresh, a partial ACK) with
 *       {@code recover} at SND.MAX; the algorithm sets ssthresh on entry, and Proportional
 *       Rate Reduction ({@link Prr}) decides how much each ACK lets out until the
 *       cumulative ACK passes {@code recover}, when the algorithm settles cwnd.
 *   <li>{@link State#LOSS}: after a retransmission timeout; every segment not SACKed is
 *       marked lost (the SACK scoreboard survives the timeout, RFC 6675 5.1) and resent in
 *       slow start from one segment, until the cumulative ACK passes {@code recover}.
 * </ul>
 *
 * <p>Undo (Linux's tcp_try_undo_*): each window reduction remembers where its episode
 * began ({@code undoMarker}, SND.UNA then) and counts its retransmissions. The reduction
 * was spurious, and the algorithm restores its window ({@link CongestionControl#onUndo}),
 * when D-SACKs show that every retransmission of the episode reached the peer twice
 * (RFC 3708), when an ACK echoes a timestamp older than the episode's first retransmission
 * (the Eifel detection, RFC 3522), or, after a timeout, when the first ACK that follows
 * (S)ACKs data sent before the timeout that was never retransmitted (F-RTO with SACK,
 * RFC 5682 3). Segments marked lost but not yet resent are then unmarked.
 *
 * <p>Loop only; nothing allocates.
 */
final class LossRecovery {

    /** The sender's loss state, named as Linux names them. */
    enum State {
        OPEN("open"), DISORDER("disorder"), RECOVERY("recovery"), LOSS("loss");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private final Sender snd;
    final Prr prr = new Prr();
    State state = State.OPEN;
    /** RFC 6582's "recover", RFC 6675's RecoveryPoint: SND.MAX when the episode began. */
    int recover;
    /** Bytes PRR still lets out after the last ACK (RECOVERY only). */
    int prrQuota;

    /** SND.UNA when the current undoable reduction began; meaningful while {@link #undoValid}. */
    private int undoMarker;
    private boolean undoValid;
    /** Retransmissions of the episode not yet shown spurious by a D-SACK. */
    private int undoRetrans;
    /** TSval of the episode's first retransmission, while {@link #retransStampValid}. */
    private int retransStamp;
    private boolean retransStampValid;
    /** F-RTO: the first ACK after a timeout is still to be judged. */
    private boolean frtoPending;
    /** When the timeout's retransmission went out: data sent before it and delivered untouched proves it spurious. */
    private long frtoAt;

    /** Window reductions undone (for diagnostics). */
    int spuriousRecoveries;

    LossRecovery(Sender snd) {
        this.snd = snd;
    }

    boolean inRecovery() {
        return state == State.RECOVERY;
    }

    boolean inLoss() {
        return state == State.LOSS;
    }

    // ---- entering -------------------------------------------------------------------------

    /** A loss was detected in OPEN or DISORDER: fast recovery starts (RFC 6675 5, RFC 6937). */
    void enterRecovery(AckSample sample) {
        beginEpisode();
        state = State.RECOVERY;
        recover = snd.sndMax;
        snd.cc().onRecoveryStart(sample);
        prr.start(snd.sndMax - snd.sndUna, snd.cc().ssthresh());
        prrQuota = 0;
    }

    /**
     * The retransmission timer expired: LOSS. A first timeout (or one after the last
     * episode ended) starts a new undoable episode and arms F-RTO; a repeated one only
     * collapses the window again.
     */
    void enterLoss(boolean newEpisode, boolean frtoPossible) {
        if (newEpisode) {
            beginEpisode();
        }
        state = State.LOSS;
        recover = snd.sndMax;
        prrQuota = 0;
        frtoPending = newEpisode && frtoPossible;
        frtoAt = snd.now();
    }

    /**
     * The path MTU fell and segments that no longer fit were marked lost (Linux's
     * tcp_simple_retransmit): LOSS until the cumulative ACK passes SND.MAX, with the window
     * as it is (the network is no more congested than before: only the unit changed) and
     * nothing to undo. Already in LOSS, nothing changes.
     */
    void enterPathMtuLoss() {
        if (state == State.LOSS) {
            return;
        }
        state = State.LOSS;
        recover = snd.sndMax;
        prrQuota = 0;
        undoValid = false;
        frtoPending = false;
    }

    private void beginEpisode() {
        undoMarker = snd.sndUna;
        undoValid = true;
        undoRetrans = 0;
        retransStampValid = false;
    }

    /** A segment was resent during the episode. */
    void onRetransmitted(int tsval, boolean timestamps) {
        undoRetrans++;
        if (!retransStampValid && timestamps) {
            retransStamp = tsval;
            retransStampValid = true;
        }
    }

    // ---- each ACK ---------------------------------------------------------------------------

    /**
     * A D-SACK block [start, end) arrived (RFC 2883): when it reports a duplicate of data
     * resent in this episode (between the undo marker and the SND.UNA before this ACK), one
     * retransmission fewer may have been needed (RFC 3708).
     */
    void onDsack(int start, int end, int priorUna, int mss) {
        if (!undoValid || undoRetrans <= 0 || SeqNum.gt(end, priorUna) || SeqNum.le(end, undoMarker)) {
            return;
        }
        int segments = Math.max(1, (end - start + mss / 2) / Math.max(1, mss));
        undoRetrans = Math.max(0, undoRetrans - segments);
    }

    /**
     * True when the reduction may be undone (Linux's tcp_may_undo): an episode is open and
     * either no retransmission is left unexplained or the ACK's echo predates the first one.
     */
    private boolean mayUndo(boolean hasEcho, int echo) {
        if (!undoValid) {
            return false;
        }
        if (undoRetrans == 0) {
            return true;
        }
        return retransStampValid && hasEcho && echo - retransStamp < 0;
    }

    /**
     * Judges the ACK just processed: undo, end the episode, or go on. Called after the
     * scoreboard, RACK and the cumulative ACK were updated, before the window grows.
     *
     * @param originalDeliveredBefore a segment never retransmitted and sent before
     *     {@code frtoAt}'s timeout retransmission was delivered by this ACK
     * @param advanced the ACK moved SND.UNA
     * @param dsack the ACK carried a D-SACK
     * @return true when the window was restored (undo)
     */
    boolean onAck(AckSample sample, boolean hasEcho, int echo, long originalDeliveredBefore, boolean advanced,
                  boolean dsack) {
        switch (state) {
            case LOSS -> {
                boolean frtoSpurious = false;
                if (frtoPending && (advanced || sample.sackedBytes > 0)) {
                    frtoPending = false;
                    frtoSpurious = originalDeliveredBefore >= 0 && originalDeliveredBefore < frtoAt;
                }
                if (frtoSpurious || mayUndo(hasEcho, echo) && advanced) {
                    undo(sample);
                    return true;
                }
                if (SeqNum.ge(snd.sndUna, recover)) {
                    endEpisode();
                }
            }
            case RECOVERY -> {
                if (mayUndo(hasEcho, echo) && (advanced || undoRetrans == 0)) {
                    undo(sample);
                    return true;
                }
                if (SeqNum.ge(snd.sndUna, recover)) {
                    snd.cc().onRecoveryEnd(sample);
                    endEpisode();
                }
            }
            default -> {
                if (dsack && undoValid && undoRetrans == 0) {
                    // D-SACKs after the episode ended showed every retransmission spurious.
                    undo(sample);
                    return true;
                }
            }
        }
        return false;
    }

    private void undo(AckSample sample) {
        snd.cc().onUndo(sample);
        snd.queue.unmarkLostNotRetransmitted();
        spuriousRecoveries++;
        snd.counters.txSpuriousRecoveries.increment();
        undoValid = false;
        frtoPending = false;
        if (state == State.RECOVERY || state == State.LOSS) {
            snd.rack.onRecoveryEnd();
        }
        state = State.OPEN;
    }

    private void endEpisode() {
        snd.rack.onRecoveryEnd();
        state = State.OPEN;
        frtoPending = false;
    }

    /** Sets OPEN or DISORDER outside an episode, from what the scoreboard shows. */
    void settle(boolean disorder) {
        if (state == State.OPEN || state == State.DISORDER) {
            state = disorder ? State.DISORDER : State.OPEN;
        }
    }

    /** The tail loss probe repaired a loss: the episode counts as a recovery (RFC 8985 7.4.2). */
    void onProbeRepairedLoss(AckSample sample) {
        snd.cc().onRecoveryStart(sample);
        snd.cc().onRecoveryEnd(sample);
    }
}
