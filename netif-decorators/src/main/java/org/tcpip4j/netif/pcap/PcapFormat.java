package org.tcpip4j.netif.pcap;

/** Constants of the classic libpcap file format (draft-ietf-opsawg-pcap). */
final class PcapFormat {

    /** Magic of a file with microsecond timestamps, as written in the writer's byte order. */
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Magic of a file with nanosecond timestamps. */
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final short VERSION_MAJOR = 2;
    static final short VERSION_MINOR = 4;
    static final int GLOBAL_HEADER_SIZE = 24;
    static final int RECORD_HEADER_SIZE = 16;

    private PcapFormat() {
    }
}
