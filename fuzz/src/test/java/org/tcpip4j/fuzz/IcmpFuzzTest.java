package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpRejection;
import org.tcpip4j.icmp.internal.wire.QuoteParseResult;
import org.tcpip4j.icmp.internal.wire.QuoteRejection;
import org.tcpip4j.icmp.internal.wire.QuotedDatagram;

/**
 * ICMPv4 (RFC 792) with the datagrams error messages quote (RFC 1122 3.2.2): a message is
 * rejected as too short or for its checksum exactly when an independent check says so, and
 * the layer counts it; the quote of a destination unreachable, time exceeded or parameter
 * problem parses to the fields or the rejection an independent reading gives, emits and
 * parses back to itself, and the layer counts the same rejection. The host has a UDP port
 * and a TCP listener open, so that quotes naming them reach the transports. The input's
 * first byte says whether the ICMP checksum is repaired first.
 */
class IcmpFuzzTest {

    private final Host host = new Host();

    IcmpFuzzTest() {
        host.stack.udp().listen(7, (src, dst, port, payload) -> { });
        host.stack.tcp().listen(80, flow -> { });
    }

    @FuzzTest(maxDuration = "5s")
    void message(FuzzedDataProvider input) {
        boolean repair = input.consumeBoolean();
        byte[] m = input.consumeRemainingAsBytes();
        m = Arrays.copyOf(m, Math.min(m.length, 1400));
        if (repair && m.length >= 4) {
            Frames.putShort(m, 2, 0);
            Frames.putShort(m, 2, Frames.checksum(m, 0, m.length, 0));
        }
        IcmpRejection expected = m.length < 8 ? IcmpRejection.TOO_SHORT
                : Frames.verifies(m, 0, m.length, 0) ? null : IcmpRejection.BAD_CHECKSUM;
        IcmpPacket p = new IcmpPacket().wrap(ByteBuffer.wrap(m), 0, m.length);
        IcmpRejection found = p.check();
        if (found == null && !p.checksumValid()) {
            found = IcmpRejection.BAD_CHECKSUM;
        }
        assertEquals(expected, found);

        QuoteRejection quoteRejection = null;
        int type = m.length > 0 ? m[0] & 0xff : -1;
        boolean quoted = expected == null && (type == 3 || type == 11 || type == 12);
        if (m.length >= 8) {
            byte[] quote = Arrays.copyOfRange(m, 8, m.length);
            QuoteParseResult q = QuotedDatagram.parse(ByteBuffer.wrap(quote));
            assertEquals(expectedQuote(quote), q instanceof QuoteRejection r ? r : null);
            if (q instanceof QuotedDatagram d) {
                byte[] again = new byte[d.bufferLength()];
                d.emit(ByteBuffer.wrap(again), 0);
                assertEquals(d, QuotedDatagram.parse(ByteBuffer.wrap(again)), "a quote emits and parses back");
            } else if (quoted) {
                quoteRejection = (QuoteRejection) q;
            }
        }

        long messages = host.counter("icmp", "rx.messages");
        long[] rejected = counts(IcmpRejection.values().length, i -> IcmpRejection.values()[i].counterName());
        long[] quoteRejected = counts(QuoteRejection.values().length, i -> QuoteRejection.values()[i].counterName());
        host.receive(Host.fromPeer(Frames.ipv4(Host.PEER_IP.bits(), Host.IP.bits(), Frames.ICMP, 1, m)));
        assertEquals(messages + 1, host.counter("icmp", "rx.messages"));
        for (IcmpRejection r : IcmpRejection.values()) {
            assertEquals(rejected[r.ordinal()] + (expected == r ? 1 : 0), host.counter("icmp", r.counterName()),
                    r.counterName());
        }
        for (QuoteRejection r : QuoteRejection.values()) {
            assertEquals(quoteRejected[r.ordinal()] + (quoteRejection == r ? 1 : 0),
                    host.counter("icmp", r.counterName()), r.counterName());
        }
    }

    private long[] counts(int n, java.util.function.IntFunction<String> name) {
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            c[i] = host.counter("icmp", name.apply(i));
        }
        return c;
    }

    /** The rejection of a quote, read without the parser. */
    private static QuoteRejection expectedQuote(byte[] q) {
        if (q.length < 20) {
            return QuoteRejection.TOO_SHORT;
        }
        if ((q[0] & 0xf0) != 0x40) {
            return QuoteRejection.BAD_VERSION;
        }
        int ihl = (q[0] & 0x0f) * 4;
        if (ihl < 20) {
            return QuoteRejection.BAD_HEADER_LENGTH;
        }
        return q.length < ihl + 8 ? QuoteRejection.TRUNCATED : null;
    }
}
