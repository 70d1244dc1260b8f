package org.tcpip4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every decoder target behind one: the input's last byte picks the target, the rest is
 * its input. Jazzer fuzzes one target per JVM, and starting one costs seconds, so the
 * build's brief run fuzzes the decoders through this one; a long run
 * ({@code -Dfuzz.long=...}) fuzzes each on its own as well.
 */
class DecodersFuzzTest {

    private final EthernetFuzzTest ethernet = new EthernetFuzzTest();
    private final ArpFuzzTest arp = new ArpFuzzTest();
    private final Ipv4FuzzTest ipv4 = new Ipv4FuzzTest();
    private final Ipv4FragmentFuzzTest fragments = new Ipv4FragmentFuzzTest();
    private final IcmpFuzzTest icmp = new IcmpFuzzTest();
    private final UdpFuzzTest udp = new UdpFuzzTest();
    private final TcpFuzzTest tcp = new TcpFuzzTest();
    private final Ipv6FuzzTest ipv6 = new Ipv6FuzzTest();

    @FuzzTest(maxDuration = "5s")
    void anyDecoder(FuzzedDataProvider input) {
        switch (input.consumeInt(0, 7)) {
            case 0 -> ethernet.frame(input.consumeRemainingAsBytes());
            case 1 -> arp.packet(input.consumeRemainingAsBytes());
            case 2 -> ipv4.datagram(input);
            case 3 -> fragments.fragments(input);
            case 4 -> icmp.message(input);
            case 5 -> udp.datagram(input);
            case 6 -> tcp.segment(input);
            default -> ipv6.datagram(input);
        }
    }
}
