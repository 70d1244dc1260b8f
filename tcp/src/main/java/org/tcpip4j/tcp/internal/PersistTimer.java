package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;

/**
 * The persist timer of one {@link Sender} (RFC 9293 3.8.6.1; RFC 1122 4.2.2.17): armed when
 * data waits, nothing is in flight and nothing else will wake the sender. When it fires
 * with room in the windows it sends what silly window avoidance held back; with none it
 * probes the zero window with an already acknowledged byte's sequence number
 * (SND.UNA - 1, no data), which the peer must answer with an ACK carrying its window. The
 * peer may keep its window shut as long as it answers; {@code maxProbes} unanswered probes
 * end the connection. The delay starts at the RTO (at least its floor) and doubles per
 * probe up to the RTO ceiling. Loop only.
 */
final class PersistTimer extends TimerOwner {

    private final Sender snd;
    private final int maxProbes;
    private int backoff;
    private int unansweredProbes;

    PersistTimer(Sender snd, EventLoop loop, int maxProbes) {
        super(loop);
        this.snd = snd;
        this.maxProbes = maxProbes;
    }

    /** An acceptable ACK arrived: the peer answers. */
    void onAck() {
        unansweredProbes = 0;
    }

    /** The peer's window opened: probing is over. */
    void onWindowOpen() {
        backoff = 0;
    }

    /** Arms the timer when data (or the FIN) waits, nothing is in flight, and nothing else will wake us. */
    void armIfStalled() {
        boolean waiting = SeqNum.lt(snd.sndNxt, snd.dataEnd())
            || (snd.finQueued() && SeqNum.le(snd.sndNxt, snd.dataEnd()));
        if (waiting && !snd.rtx.running() && !timerScheduled()) {
            timer().schedule(delay());
        }
    }

    void cancel() {
        cancelTimer();
    }

    boolean isArmed() {
        return timerScheduled();
    }

    private long delay() {
        long delay = Math.max(snd.rtx.rto(), RetransmissionTimer.MIN_RTO);
        for (int i = 0; i < backoff && delay < RetransmissionTimer.MAX_RTO; i++) {
            delay *= 2;
        }
        return Math.min(delay, RetransmissionTimer.MAX_RTO);
    }

    @Override
    void onTimer() {
        Connection conn = snd.connection();
        if (snd.buffer == null || !conn.sends()) {
            return;
        }
        int usable = snd.usableWindow();
        int unsent = snd.dataEnd() - snd.sndNxt;
        if (usable > 0 && unsent > 0) {
            int len = Math.min(Math.min(unsent, usable), snd.segmentSize());
            snd.sendNewAt(len, snd.finQueued() && len == unsent && len < usable);
            snd.output();
            return;
        }
        if (usable > 0 && snd.finQueued() && unsent == 0) {
            snd.sendNewAt(0, true);
            return;
        }
        if (++unansweredProbes > maxProbes) {
            conn.onPeerUnresponsive();
            return;
        }
        snd.counters.txWindowProbes.increment();
        conn.sendProbe();
        backoff++;
        timer().schedule(delay());
    }

}
