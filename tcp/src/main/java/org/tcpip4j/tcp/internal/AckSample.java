package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.congestion.CongestionSample;

/**
 * The {@link CongestionSample} a {@link Sender} refills before each congestion-control
 * call: one per connection, so that telling the algorithm about an ACK allocates nothing.
 */
final class AckSample implements CongestionSample {

    long now;
    int mss;
    int ackedBytes;
    int sackedBytes;
    int deliveredBytes;
    int priorInFlight;
    int inFlight;
    int flightSize;
    boolean cwndLimited;
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
}
