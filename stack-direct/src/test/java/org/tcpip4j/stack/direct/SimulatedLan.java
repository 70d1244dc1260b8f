package org.tcpip4j.stack.direct;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemoryNetif;
import org.tcpip4j.netif.memory.MemorySwitch;

/**
 * A simulated LAN for the tests of the assembled stack: direct stacks on an in-memory
 * switch in 198.18.0.0/24, each optionally behind an {@link ImpairedNetif}, on one
 * {@link VirtualTimeEventLoop} owned by the test thread, every random choice drawn from one
 * seed. A raw port crafts and records frames as an attacker or a router would.
 */
final class SimulatedLan {

    static final long SECOND = 1_000_000_000L;

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final MemorySwitch network = new MemorySwitch(loop);
    private final SplittableRandom random;

    SimulatedLan(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The address .{@code host} of the LAN. */
    static Ipv4Address ip(int host) {
        return Ipv4Address.of(198, 18, 0, host);
    }

    /** The MAC of host .{@code host}. */
    static MacAddress mac(int host) {
        return new MacAddress(0x02_00_00_00_00_00L | host);
    }

    /** One stack on the LAN. */
    final class Host {
        final DirectStack stack;
        final ImpairedNetif link;
        final Recording recording;

        Host(DirectStack stack, ImpairedNetif link, Recording recording) {
            this.stack = stack;
            this.link = link;
            this.recording = recording;
        }

        /** A counter of one layer ("arp", "ipv4", "icmp", "udp", "tcp", "stack"). */
        long count(String layer, String name) {
            return stack.counters().get(layer).getOrDefault(name, 0L);
        }
    }

    /** A host at .{@code host} with no impairment. */
    Host host(int host) {
        return host(host, Impairment.NONE, b -> b);
    }

    /**
     * A host at .{@code host} whose link impairs what it sends as {@code sending} says, built
     * with what {@code configure} adds to the builder.
     */
    Host host(int host, Impairment sending, UnaryOperator<DirectStackBuilder> configure) {
        MemoryNetif port = network.port(mac(host));
        Recording recording = new Recording(port);
        ImpairedNetif link = ImpairedNetif.onSend(recording, sending, random.split());
        DirectStackBuilder builder = DirectStackBuilder.on(link).address(new Ipv4Cidr(ip(host), 24))
                .name("host-" + host).seed(random.nextLong());
        return new Host(configure.apply(builder).build(), link, recording);
    }

    /** A raw port at .{@code host}: frames are written by hand and every frame received kept. */
    RawPort raw(int host) {
        return new RawPort(network.port(mac(host)));
    }

    /** Runs until {@code future} completes, within {@code bound} of virtual time. */
    <T> T await(CompletableFuture<T> future, Duration bound) {
        try {
            return loop.await(future, bound);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not done after " + bound + " of virtual time");
        }
    }

    /** Records the frames a stack writes (as they enter the wire), so tests can look at them. */
    static final class Recording extends ForwardingNetif {
        final List<byte[]> sent = new ArrayList<>();

        Recording(Netif inner) {
            super(inner);
        }

        @Override
        public Result<NetifError> write(int size, org.tcpip4j.netif.PacketWriter writer) {
            return inner.write(size, (buffer, offset, max) -> {
                int n = writer.write(buffer, offset, max);
                byte[] copy = new byte[n];
                buffer.get(offset, copy);
                sent.add(copy);
                return n;
            });
        }

        /** The IPv4 datagrams sent of {@code protocol}, Ethernet header stripped. */
        List<ByteBuffer> ipv4(int protocol) {
            List<ByteBuffer> out = new ArrayList<>();
            for (byte[] f : sent) {
                ByteBuffer b = ByteBuffer.wrap(f);
                if (f.length >= 34 && (b.getShort(12) & 0xffff) == 0x0800 && (f[23] & 0xff) == protocol) {
                    out.add(b.position(14).slice());
                }
            }
            return out;
        }
    }

    /** A port of the switch driven by hand. */
    final class RawPort {
        final MemoryNetif port;
        final List<byte[]> received = new ArrayList<>();

        RawPort(MemoryNetif port) {
            this.port = port;
            FrameHandler keep = frame -> {
                byte[] copy = new byte[frame.remaining()];
                frame.get(frame.position(), copy);
                received.add(copy);
            };
            port.listen(keep);
        }

        /** Sends an IPv4 datagram to {@code dstMac}. */
        void send(MacAddress dstMac, byte[] datagram) {
            Result<NetifError> r = port.write(14 + datagram.length, (buffer, offset, max) -> {
                dstMac.write(buffer, offset);
                port.mac().write(buffer, offset + 6);
                buffer.putShort(offset + 12, (short) 0x0800);
                buffer.put(offset + 14, datagram);
                return 14 + datagram.length;
            });
            if (!r.isOk()) {
                throw new AssertionError("raw write failed: " + r.errorOrNull());
            }
        }

        /** The received IPv4 datagrams of {@code protocol}, Ethernet header stripped. */
        List<ByteBuffer> ipv4(int protocol) {
            List<ByteBuffer> out = new ArrayList<>();
            for (byte[] f : received) {
                ByteBuffer b = ByteBuffer.wrap(f);
                if (f.length >= 34 && (b.getShort(12) & 0xffff) == 0x0800 && (f[23] & 0xff) == protocol) {
                    out.add(b.position(14).slice());
                }
            }
            return out;
        }
    }

    /**
     * An IPv4 datagram with a 20-byte header, checksum filled; {@code flagsOffset} is the
     * flags and fragment offset word (0x2000 for MF, offset in eight-byte units).
     */
    static byte[] datagram(Ipv4Address src, Ipv4Address dst, int protocol, int id, int flagsOffset, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put(0, (byte) 0x45).putShort(2, (short) (20 + payload.length)).putShort(4, (short) id)
                .putShort(6, (short) flagsOffset).put(8, (byte) 64).put(9, (byte) protocol);
        src.write(b, 12);
        dst.write(b, 16);
        b.putShort(10, (short) InternetChecksum.compute(b, 0, 20));
        b.put(20, payload);
        return b.array();
    }

    /** An ICMP message of {@code type}/{@code code} with its four rest-of-header bytes and data, checksummed. */
    static byte[] icmp(int type, int code, int rest, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.put(0, (byte) type).put(1, (byte) code).putInt(4, rest).put(8, data);
        b.putShort(2, (short) InternetChecksum.compute(b, 0, b.limit()));
        return b.array();
    }
}
