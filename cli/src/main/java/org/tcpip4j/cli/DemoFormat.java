package org.tcpip4j.cli;

/** Human-readable sizes for the CLI's output. */
final class DemoFormat {

    private DemoFormat() {
    }

    /** 268435456 -> "256.0 MiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
