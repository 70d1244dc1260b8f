package org.tcpip4j.netif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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

    /**
     * Counters that an implementation updates on its event loop and snapshots on demand.
     * One thread writes them at a time; each new value is published with a release store
     * (no fence on the writer's path) and read with an acquire load.
     */
    public static final class Counters {
        private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
        private static final int RX_BYTES = 0;
        private static final int RX_PACKETS = 1;
        private static final int RX_DROPS = 2;
        private static final int TX_BYTES = 3;
        private static final int TX_PACKETS = 4;
        private static final int TX_DROPS = 5;

        private final long[] values = new long[6];

        private void add(int slot, long n) {
            SLOT.setRelease(values, slot, (long) SLOT.get(values, slot) + n);
        }

        private long read(int slot) {
            return (long) SLOT.getAcquire(values, slot);
        }

        /** Counts one received frame of {@code bytes} bytes. Call from one thread at a time. */
        public void received(int bytes) {
            add(RX_PACKETS, 1);
            add(RX_BYTES, bytes);
        }

        /** Counts one dropped received frame. */
        public void receiveDropped() {
            add(RX_DROPS, 1);
        }

        /** Counts one written frame of {@code bytes} bytes. */
        public void sent(int bytes) {
            add(TX_PACKETS, 1);
            add(TX_BYTES, bytes);
        }

        /** Counts one frame that could not be written. */
        public void sendDropped() {
            add(TX_DROPS, 1);
        }

        /** The counters now. */
        public NetifStats snapshot() {
            return new NetifStats(read(RX_BYTES), read(RX_PACKETS), read(RX_DROPS), read(TX_BYTES),
                    read(TX_PACKETS), read(TX_DROPS));
        }

        /** Sets every counter to zero. */
        public void reset() {
            for (int i = 0; i < values.length; i++) {
                SLOT.setRelease(values, i, 0L);
            }
        }
    }
}
