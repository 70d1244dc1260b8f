package org.tcpip4j.examples;

import org.tcpip4j.tcp.congestion.CongestionControl;
import org.tcpip4j.tcp.congestion.CongestionSample;
import org.tcpip4j.tcp.congestion.NewReno;

/**
 * Scalable TCP (Kelly, "Scalable TCP: Improving Performance in Highspeed Wide Area
 * Networks", 2003), a congestion control of a user's own plugged in through
 * {@link ScalableTcpProvider}: in congestion avoidance the window grows by a = 0.01 of the
 * bytes acknowledged on each ACK (multiplicative increase: a constant number of round trips
 * to recover from a loss, whatever the window), and a loss takes it to b = 0.875 of itself.
 * Slow start is NewReno's.
 */
public final class ScalableTcp implements CongestionControl {

    /** The increase per byte acknowledged. */
    static final double A = 0.01;
    /** The factor a loss leaves. */
    static final double B = 0.875;

    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private double growth;
    private int priorCwnd;
    private int priorSsthresh;

    /** Starts with RFC 5681's initial window for {@code mss}. */
    public ScalableTcp(int mss) {
        this.cwnd = NewReno.initialWindow(mss);
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(CongestionSample s) {
        if (!s.cwndLimited()) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd += Math.min(s.deliveredBytes(), 2 * s.mss());
            return;
        }
        growth += A * s.deliveredBytes();
        if (growth >= 1) {
            int whole = (int) growth;
            cwnd += whole;
            growth -= whole;
        }
    }

    @Override
    public void onRecoveryStart(CongestionSample s) {
        priorCwnd = cwnd;
        priorSsthresh = ssthresh;
        ssthresh = Math.max((int) (cwnd * B), 2 * s.mss());
    }

    @Override
    public void onRecoveryEnd(CongestionSample s) {
        cwnd = ssthresh;
    }

    @Override
    public void onRetransmissionTimeout(CongestionSample s) {
        if (s.consecutiveTimeouts() <= 1) {
            priorCwnd = cwnd;
            priorSsthresh = ssthresh;
            ssthresh = Math.max((int) (cwnd * B), 2 * s.mss());
        }
        cwnd = s.mss();
    }

    @Override
    public void onUndo(CongestionSample s) {
        cwnd = Math.max(cwnd, priorCwnd);
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }
}
