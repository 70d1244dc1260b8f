/**
 * Congestion control behind a small SPI ({@link org.tcpip4j.tcp.congestion.CongestionControl},
 * {@link org.tcpip4j.tcp.congestion.CongestionControlProvider}): the built-in NewReno
 * (RFC 5681, RFC 6582) and CUBIC with HyStart++ (RFC 9438, RFC 9406), and any a user
 * provides.
 */
package org.tcpip4j.tcp.congestion;
