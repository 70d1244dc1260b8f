package org.tcpip4j.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Round-trip times and counts of a ping run, printed in the shape of Linux's ping
 * (iputils): the same rounding of times and the same summary lines, so scripts and eyes
 * used to it read ours. Safe from any thread.
 */
final class PingStatistics {

    private long transmitted;
    private long received;
    private long errors;
    private double minMillis = Double.MAX_VALUE;
    private double maxMillis;
    private double sumMillis;
    private double sumSquares;

    synchronized void sent() {
        transmitted++;
    }

    synchronized void replied(double millis) {
        received++;
        minMillis = Math.min(minMillis, millis);
        maxMillis = Math.max(maxMillis, millis);
        sumMillis += millis;
        sumSquares += millis * millis;
    }

    synchronized void error() {
        errors++;
    }

    synchronized long received() {
        return received;
    }

    /** One reply's time as iputils prints it: fewer decimals the longer it is. */
    static String time(double millis) {
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%d", Math.round(millis));
        } else if (millis >= 10) {
            return String.format(Locale.ROOT, "%.1f", millis);
        } else if (millis >= 1) {
            return String.format(Locale.ROOT, "%.2f", millis);
        }
        return String.format(Locale.ROOT, "%.3f", millis);
    }

    /**
     * "3 packets transmitted, 3 received, 0% packet loss, time 2003ms", then, when a reply
     * came, "rtt min/avg/max/mdev = 0.048/0.061/0.076/0.011 ms".
     */
    synchronized String summary(long elapsedMillis) {
        StringBuilder s = new StringBuilder();
        s.append(transmitted).append(" packets transmitted, ").append(received).append(" received, ");
        if (errors > 0) {
            s.append('+').append(errors).append(" errors, ");
        }
        double loss = transmitted == 0 ? 0 : 100.0 * (transmitted - received) / transmitted;
        s.append(percent(loss)).append("% packet loss, time ").append(elapsedMillis).append("ms");
        if (received > 0) {
            double avg = sumMillis / received;
            double mdev = Math.sqrt(Math.max(0, sumSquares / received - avg * avg));
            s.append(String.format(Locale.ROOT, "%nrtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms", minMillis, avg,
                    maxMillis, mdev));
        }
        return s.toString();
    }

    /** C's {@code %g}: six significant digits, no trailing zeros ("0", "33.3333", "100"). */
    static String percent(double value) {
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
