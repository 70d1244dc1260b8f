package org.tcpip4j.tcp.internal.wire;

/**
 * Why a byte string is not a TCP segment this stack will look at. Parsing never throws:
 * it gives a header or one of these, and the caller counts and drops.
 */
public enum TcpRejection {
    /** Fewer bytes than the fixed 20-byte header (RFC 9293 3.1). */
    TOO_SHORT,
    /** Data offset under 5 words, or past the end of the segment (RFC 9293 3.1). */
    BAD_DATA_OFFSET,
    /** An option whose length is under 2 or runs past the header (RFC 9293 3.2). */
    BAD_OPTIONS,
    /** Source or destination port 0, which no connection can use (RFC 9293 3.1). */
    BAD_PORT
}
