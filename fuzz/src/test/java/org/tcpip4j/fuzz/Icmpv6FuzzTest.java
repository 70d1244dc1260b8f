package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.internal.DefaultIcmpv6;
import org.tcpip4j.icmp.internal.wire.Ipv6Quote;
import org.tcpip4j.icmp.internal.wire.Ipv6QuoteParseResult;
import org.tcpip4j.icmp.internal.wire.Ipv6QuoteRejection;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * ICMPv6 (RFC 4443) with the datagrams its errors quote: a message is rejected as too short
 * or for its checksum over the IPv6 pseudo-header exactly when an independent check says
 * so, and the layer counts it; the quote after the header parses to the rejection an
 * independent walk of the extension headers gives (version, chain length, truncation, a
 * later fragment), a quote emits and parses back to itself, and for an error type the
 * layer counts the same rejection; every message the layer writes in answer verifies. The
 * layer runs over an IPv6 layer made here that captures writes (so the target needs no
 * Neighbor Discovery); the input's last byte says whether the checksum is repaired first.
 */
class Icmpv6FuzzTest {

    private static final Ipv6Address OURS = Ipv6Address.parse("2001:2::2");
    private static final Ipv6Address PEER = Ipv6Address.parse("2001:2::1");
    private static final byte[] EXTENSIONS = {0, 43, 44, 51, 60, (byte) 135, (byte) 139, (byte) 140, (byte) 253,
        (byte) 254};

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final List<byte[]> written = new ArrayList<>();
    private final DefaultIcmpv6 icmp = new DefaultIcmpv6(capturingIpv6(), IcmpConfig.DEFAULT,
            StackContext.seeded(loop, 1, "fuzz"));

    @FuzzTest(maxDuration = "5s")
    void message(FuzzedDataProvider input) {
        boolean repair = input.consumeBoolean();
        byte[] m = input.consumeRemainingAsBytes();
        m = Arrays.copyOf(m, Math.min(m.length, 1400));
        long pseudo = pseudoHeader(PEER, OURS, m.length);
        if (repair && m.length >= 4) {
            Frames.putShort(m, 2, 0);
            Frames.putShort(m, 2, Frames.checksum(m, 0, m.length, pseudo));
        }
        String expected = m.length < 8 ? "rx.too_short"
                : Frames.verifies(m, 0, m.length, pseudo) ? null : "rx.bad_checksum";
        int type = m.length > 0 ? m[0] & 0xff : -1;

        Ipv6QuoteRejection quoteRejection = null;
        if (m.length >= 8) {
            byte[] quote = Arrays.copyOfRange(m, 8, m.length);
            Ipv6QuoteParseResult q = Ipv6Quote.parse(ByteBuffer.wrap(quote));
            Ipv6QuoteRejection independent = expectedQuote(quote);
            assertEquals(independent, q instanceof Ipv6QuoteRejection r ? r : null);
            if (q instanceof Ipv6Quote d) {
                byte[] again = new byte[d.bufferLength()];
                d.emit(ByteBuffer.wrap(again), 0);
                assertEquals(d, Ipv6Quote.parse(ByteBuffer.wrap(again)), "a quote emits and parses back");
            } else if (expected == null && type < 128) {
                quoteRejection = independent;
            }
        }

        long messages = icmp.counters().get("rx.messages");
        long tooShort = icmp.counters().get("rx.too_short");
        long badChecksum = icmp.counters().get("rx.bad_checksum");
        long[] quoteRejected = new long[Ipv6QuoteRejection.values().length];
        for (Ipv6QuoteRejection r : Ipv6QuoteRejection.values()) {
            quoteRejected[r.ordinal()] = icmp.counters().get(r.counterName());
        }
        written.clear();
        ByteBuffer b = ByteBuffer.allocate(54 + m.length);
        b.put(54, m).position(54);
        icmp.input(PEER, OURS, b);
        assertEquals(messages + 1, icmp.counters().get("rx.messages"));
        assertEquals(tooShort + ("rx.too_short".equals(expected) ? 1 : 0), icmp.counters().get("rx.too_short"));
        assertEquals(badChecksum + ("rx.bad_checksum".equals(expected) ? 1 : 0),
                icmp.counters().get("rx.bad_checksum"));
        for (Ipv6QuoteRejection r : Ipv6QuoteRejection.values()) {
            assertEquals(quoteRejected[r.ordinal()] + (quoteRejection == r ? 1 : 0),
                    icmp.counters().get(r.counterName()), r.counterName());
        }
        for (byte[] w : written) {
            assertTrue(Frames.verifies(w, 0, w.length, pseudoHeader(OURS, PEER, w.length)), "an answer verifies");
        }
        assertTrue(written.size() <= (expected == null && type == 128 ? 1 : 0), "only an echo request is answered");
    }

    /** The rejection of a quote, read without the parser. */
    private static Ipv6QuoteRejection expectedQuote(byte[] q) {
        if (q.length < 40) {
            return Ipv6QuoteRejection.TOO_SHORT;
        }
        if ((q[0] & 0xf0) != 0x60) {
            return Ipv6QuoteRejection.BAD_VERSION;
        }
        int next = q[6] & 0xff;
        int at = 40;
        for (int headers = 0; isExtension(next); headers++) {
            if (headers == 16) {
                return Ipv6QuoteRejection.CHAIN_TOO_LONG;
            }
            if (at + 8 > q.length) {
                return Ipv6QuoteRejection.TRUNCATED;
            }
            int size;
            if (next == 44) {
                if ((Frames.getShort(q, at + 2) >> 3) != 0) {
                    return Ipv6QuoteRejection.NOT_FIRST_FRAGMENT;
                }
                size = 8;
            } else if (next == 51) {
                size = ((q[at + 1] & 0xff) + 2) * 4;
            } else {
                size = ((q[at + 1] & 0xff) + 1) * 8;
            }
            next = q[at] & 0xff;
            at += size;
        }
        return at + 8 > q.length ? Ipv6QuoteRejection.TRUNCATED : null;
    }

    private static boolean isExtension(int next) {
        for (byte b : EXTENSIONS) {
            if ((b & 0xff) == next) {
                return true;
            }
        }
        return false;
    }

    /** RFC 8200 8.1: source, destination, upper-layer length, next header 58, summed by hand. */
    private static long pseudoHeader(Ipv6Address src, Ipv6Address dst, int length) {
        byte[] a = new byte[32];
        src.write(ByteBuffer.wrap(a), 0);
        dst.write(ByteBuffer.wrap(a), 16);
        long sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += Frames.getShort(a, i);
        }
        return sum + (length >>> 16) + (length & 0xffff) + 58;
    }

    /** An IPv6 layer with one address that captures what is written through it. */
    private Ipv6 capturingIpv6() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "write" -> {
                int size = (int) args[5];
                ByteBuffer buffer = ByteBuffer.allocate(size);
                int n = ((PacketWriter) args[6]).write(buffer, 0, size);
                written.add(Arrays.copyOf(buffer.array(), n));
                yield Result.<IpError>ok();
            }
            case "pseudoheaderChecksum" -> pseudoHeader((Ipv6Address) args[0], (Ipv6Address) args[1], (int) args[3]);
            case "src" -> OURS;
            case "configuredIps" -> List.<IpAddress>of(OURS);
            case "cidrs" -> List.of(new Ipv6Cidr(OURS, 64));
            case "addressKind" -> InvocationHandler.invokeDefault(proxy, method, args);
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "capturing IPv6";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Ipv6) Proxy.newProxyInstance(Ipv6.class.getClassLoader(), new Class<?>[] {Ipv6.class}, h);
    }
}
