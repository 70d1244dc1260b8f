package org.tcpip4j.cli;

import java.io.PrintStream;

/**
 * Transfer progress: a bar redrawn in place on a terminal, plain lines (one a second)
 * otherwise, so logs and pipes stay readable.
 */
final class Progress {

    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private long lastLineNanos = -1;

    Progress(PrintStream out, long total) {
        this.out = out;
        this.total = total;
        java.io.Console c = System.console();
        this.terminal = c != null && c.isTerminal();
    }

    void update(long done, long nanos) {
        double gbps = nanos > 0 ? done * 8.0 / nanos : 0;
        int pct = total == 0 ? 100 : (int) (done * 100 / total);
        if (terminal) {
            int width = 30;
            int filled = pct * width / 100;
            out.printf("\r[tcp]  [%s%s] %3d%%  %s  %.2f Gbit/s ", "#".repeat(filled), " ".repeat(width - filled), pct,
                    DemoFormat.bytes(done), gbps);
            out.flush();
        } else if (lastLineNanos < 0 || nanos - lastLineNanos >= 1_000_000_000L) {
            lastLineNanos = nanos;
            out.printf("[tcp]  %3d%%  %s  %.2f Gbit/s%n", pct, DemoFormat.bytes(done), gbps);
        }
    }

    void finish(long done, long nanos) {
        if (terminal) {
            update(done, nanos);
            out.println();
        } else {
            out.printf("[tcp]  %3d%%  %s  %.2f Gbit/s%n", total == 0 ? 100 : (int) (done * 100 / total),
                    DemoFormat.bytes(done), nanos > 0 ? done * 8.0 / nanos : 0);
        }
    }
}
