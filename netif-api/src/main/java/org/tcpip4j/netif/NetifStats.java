package org.tcpip4j.netif;

/**
 * A snapshot of a device's counters (Mirage_net.stats).
 *
 * @param rxBytes bytes of frames received and delivered to the listener
 * @param rxPackets frames received and delivered
 * @param rxDrops frames received but dropped (no listener, too large, impairment, ...)
 * @param txBytes bytes of frames written
 * @param txPackets frames written
 * @param txDrops frames the device could not send
 */
public record NetifStats(long rxBytes, long rxPackets, long rxDrops, long txBytes, long txPackets,
                         long txDrops) {

    /** Counters that an implementation updates on its event loop and snapshots on demand. */
    public static final class Counters {
        private volatile long rxBytes;
        private volatile long rxPackets;
        private volatile long rxDrops;
        private volatile long txBytes;
        private volatile long txPackets;
        private volatile long txDrops;

        /** Counts one received frame of {@code bytes} bytes. Call from one thread at a time. */
        public void received(int bytes) {
            rxPackets++;
            rxBytes += bytes;
        }

        /** Counts one dropped received frame. */
        public void receiveDropped() {
            rxDrops++;
        }

        /** Counts one written frame of {@code bytes} bytes. */
        public void sent(int bytes) {
            txPackets++;
            txBytes += bytes;
        }

        /** Counts one frame that could not be written. */
        public void sendDropped() {
            txDrops++;
        }

        /** The counters now. */
        public NetifStats snapshot() {
            return new NetifStats(rxBytes, rxPackets, rxDrops, txBytes, txPackets, txDrops);
        }

        /** Sets every counter to zero. */
        public void reset() {
            rxBytes = rxPackets = rxDrops = txBytes = txPackets = txDrops = 0;
        }
    }
}
