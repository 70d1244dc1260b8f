package org.tcpip4j.netif;

/** Why a {@link Netif} could not write a frame (Mirage_net.Net.error). */
public sealed interface NetifError {

    /** The device was disconnected; nothing more can be written. */
    record Disconnected() implements NetifError {
        @Override
        public String toString() {
            return "device disconnected";
        }
    }

    /** The frame is larger than the device accepts. */
    record ExceedsMtu(int size, int maxFrameSize) implements NetifError {
        @Override
        public String toString() {
            return "frame of " + size + " bytes exceeds the device's " + maxFrameSize;
        }
    }

    /** The device reported an error of its own. */
    record DeviceError(String message) implements NetifError {
        @Override
        public String toString() {
            return "device error: " + message;
        }
    }

    /** The shared {@link Disconnected} value. */
    NetifError DISCONNECTED = new Disconnected();
}
