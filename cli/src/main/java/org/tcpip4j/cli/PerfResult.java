package org.tcpip4j.cli;

/**
 * One measured transfer of {@code perf}.
 *
 * @param stack which stack carried it ("direct-memory", "socket", "tap")
 * @param bytes bytes received by the server (sent by the client when the server is remote)
 * @param nanos from the established connection to the last byte
 * @param retransmissions segments retransmitted meanwhile, -1 when unknown
 * @param retransmissionSource where that count comes from
 * @param cpuNanos CPU time the process used meanwhile
 * @param problem why the transfer failed, or null
 */
record PerfResult(String stack, long bytes, long nanos, long retransmissions, String retransmissionSource,
                  long cpuNanos, String problem) {

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Gigabits per second. */
    double gbps() {
        return nanos == 0 ? 0 : bytes * 8.0 / nanos;
    }

    /** Seconds of CPU per GiB moved; NaN when nothing moved. */
    double cpuSecondsPerGib() {
        return bytes == 0 ? Double.NaN : cpuNanos / 1e9 / (bytes / GIB);
    }

    boolean ok() {
        return problem == null;
    }
}
