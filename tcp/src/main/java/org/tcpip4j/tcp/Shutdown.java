package org.tcpip4j.tcp;

/** Which direction {@link TcpFlow#shutdown} closes (Mirage_flow's {@code `read | `write | `read_write}). */
public enum Shutdown {
    /** Stop reading: pending and later data is discarded, read gives Eof. */
    READ,
    /** Stop writing: buffered data is flushed, then a FIN is sent. */
    WRITE,
    /** Both. */
    READ_WRITE
}
