package org.tcpip4j.netif.pcap;

import java.nio.ByteOrder;

/**
 * The global header of a classic pcap file.
 *
 * @param byteOrder the order the file's integers are written in, told by its magic number
 * @param nanosecondTimestamps true for the 0xa1b23c4d magic, false for microseconds (0xa1b2c3d4)
 * @param versionMajor 2 for the format written today
 * @param versionMinor 4 for the format written today
 * @param thisZone offset of local time from UTC in seconds (0 in practice)
 * @param sigFigs accuracy of the timestamps (0 in practice)
 * @param snapLength the longest part of a frame a record holds
 * @param linkType the link layer of the frames: {@link #LINKTYPE_ETHERNET} here
 */
public record PcapHeader(ByteOrder byteOrder, boolean nanosecondTimestamps, int versionMajor, int versionMinor,
                         int thisZone, int sigFigs, int snapLength, int linkType) {

    /** LINKTYPE_ETHERNET: IEEE 802.3 Ethernet frames, without preamble or FCS. */
    public static final int LINKTYPE_ETHERNET = 1;
    /**
     * The snapshot length written by {@link PcapWriter}, tcpdump's default: whole frames,
     * the 65,549-byte segments a device that offloads segmentation carries included.
     */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
}
