package org.tcpip4j.tcp.congestion;

/**
 * A mutable {@link CongestionSample} the tests fill in as a sender would, with helpers
 * that drive an algorithm through acknowledgments and whole round trips of a
 * window-limited flow on a path of fixed round-trip time. The clock is virtual.
 */
final class TestSample implements CongestionSample {

    static final long MS = 1_000_000L;

    long now = 1_000 * MS;
    int mss = 1000;
    int ackedBytes;
    int sackedBytes;
    int deliveredBytes;
    int priorInFlight;
    int inFlight;
    int flightSize;
    boolean cwndLimited = true;
    long rttSample = -1;
    long minRtt = -1;
    long srtt = -1;
    boolean roundStart;
    long deliveryRate = -1;
    int consecutiveTimeouts;

    @Override
    public long now() {
        return now;
    }

    @Override
    public int mss() {
        return mss;
    }

    @Override
    public int ackedBytes() {
        return ackedBytes;
    }

    @Override
    public int sackedBytes() {
        return sackedBytes;
    }

    @Override
    public int deliveredBytes() {
        return deliveredBytes;
    }

    @Override
    public int priorInFlight() {
        return priorInFlight;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public int flightSize() {
        return flightSize;
    }

    @Override
    public boolean cwndLimited() {
        return cwndLimited;
    }

    @Override
    public long rttSample() {
        return rttSample;
    }

    @Override
    public long minRtt() {
        return minRtt;
    }

    @Override
    public long srtt() {
        return srtt;
    }

    @Override
    public boolean roundStart() {
        return roundStart;
    }

    @Override
    public long deliveryRate() {
        return deliveryRate;
    }

    @Override
    public int consecutiveTimeouts() {
        return consecutiveTimeouts;
    }

    /** Sets the path's round-trip time: every ACK measures it, and it is the smoothed and minimum RTT. */
    TestSample rtt(long nanos) {
        rttSample = nanos;
        srtt = nanos;
        minRtt = nanos;
        return this;
    }

    /** One ACK of {@code bytes} new bytes at the current time, the window full. */
    void ack(CongestionControl cc, int bytes) {
        ackedBytes = bytes;
        sackedBytes = 0;
        deliveredBytes = bytes;
        flightSize = Math.max(cc.cwnd(), bytes);
        priorInFlight = flightSize;
        inFlight = flightSize - bytes;
        cc.onAck(this);
        roundStart = false;
    }

    /**
     * One round trip of a window-limited flow: the window at its start, in segments, is
     * acknowledged one segment per ACK, the ACKs spread evenly over {@code rtt}; the first
     * ACK starts the round. Returns the number of ACKs.
     */
    int round(CongestionControl cc, long rtt) {
        int segments = Math.max(1, cc.cwnd() / mss);
        long step = rtt / segments;
        for (int i = 0; i < segments; i++) {
            now += step;
            roundStart = i == 0;
            ack(cc, mss);
        }
        now += rtt - step * segments;
        return segments;
    }

    /** Rounds of {@code rtt} until {@code seconds} have passed. */
    void rounds(CongestionControl cc, long rtt, double seconds) {
        long end = now + (long) (seconds * 1e9);
        while (now < end) {
            round(cc, rtt);
        }
    }

    /** Grows a window in slow start to exactly {@code bytes} with ACKs of at most one segment. */
    void growTo(CongestionControl cc, int bytes) {
        while (cc.cwnd() < bytes) {
            now += MS;
            ack(cc, Math.min(mss, bytes - cc.cwnd()));
        }
    }

    /** A loss detected by ACKs: recovery starts, and (without undo) ends. */
    void lossAndRecovery(CongestionControl cc) {
        flightSize = cc.cwnd();
        cc.onRecoveryStart(this);
        cc.onRecoveryEnd(this);
    }

    /** The retransmission timer expires, the {@code nth} time in a row. */
    void timeout(CongestionControl cc, int nth) {
        flightSize = cc.cwnd();
        consecutiveTimeouts = nth;
        cc.onRetransmissionTimeout(this);
        consecutiveTimeouts = 0;
    }
}
