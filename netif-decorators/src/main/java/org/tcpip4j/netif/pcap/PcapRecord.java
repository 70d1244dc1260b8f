package org.tcpip4j.netif.pcap;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One captured frame read from a pcap file.
 *
 * @param epochMicros when it was captured, in microseconds since the epoch (a nanosecond
 *     file's timestamps are truncated to microseconds)
 * @param originalLength the frame's length on the wire
 * @param data the bytes captured, at most the snapshot length; the record's own array
 */
public record PcapRecord(long epochMicros, int originalLength, byte[] data) {

    /** Checks that there is data, possibly empty. */
    public PcapRecord {
        Objects.requireNonNull(data, "data");
    }

    /** True when the capture holds less than the whole frame. */
    public boolean truncated() {
        return data.length < originalLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapRecord r && r.epochMicros == epochMicros && r.originalLength == originalLength
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epochMicros) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PcapRecord[" + epochMicros + "us, " + originalLength + " bytes: " + HexFormat.of().formatHex(data) + "]";
    }
}
