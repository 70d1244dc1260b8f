package org.tcpip4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.netif.tap.TapException;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.stack.socket.SocketStack;

/**
 * The two ends of a {@code perf} transfer, on one kind of stack. Either end may be remote
 * (null here): on a TAP, the peer is another host. Each local end comes with the executor
 * its futures complete on, which the senders and readers hand their next step to.
 */
final class PerfEndpoints implements AutoCloseable {

    /** The stack kinds {@code --stack} accepts. */
    static final List<String> KINDS = List.of("direct-memory", "socket", "tap");

    final String kind;
    final Stack client;
    final Executor clientLoop;
    final Stack server;
    final Executor serverLoop;
    final IpAddress serverAddress;
    final int port;
    final String description;
    /** The banner's line stating the impairments, or null. */
    final String impairments;
    private final LongSupplier retransmissions;
    final String retransmissionSource;
    private final List<AutoCloseable> resources;

    private PerfEndpoints(String kind, Stack client, Executor clientLoop, Stack server, Executor serverLoop,
                          IpAddress serverAddress, int port, String description, String impairments,
                          LongSupplier retransmissions, String retransmissionSource, List<AutoCloseable> resources) {
        this.kind = kind;
        this.client = client;
        this.clientLoop = clientLoop;
        this.server = server;
        this.serverLoop = serverLoop;
        this.serverAddress = serverAddress;
        this.port = port;
        this.description = description;
        this.impairments = impairments;
        this.retransmissions = retransmissions;
        this.retransmissionSource = retransmissionSource;
        this.resources = resources;
    }

    /** Retransmitted segments counted so far by {@link #retransmissionSource}; -1 when unknown. */
    long retransmissions() {
        return retransmissions.getAsLong();
    }

    /**
     * Two direct stacks on the in-memory network, on one event loop: 198.18.0.1 sends to
     * 198.18.0.2:{@code port}. Impairments and capture, when asked for, sit on the client's device.
     */
    static PerfEndpoints directMemory(int port, ImpairmentOptions impairment) {
        long seed = impairment.seed;
        List<AutoCloseable> resources = new ArrayList<>();
        RealTimeEventLoop loop = new RealTimeEventLoop("tcpip4j-perf");
        MemorySwitch network = new MemorySwitch(loop);
        NetifOffloads offloads = impairment.memoryOffloads();
        NetifChain chain = NetifChain.wrap(network.port(MacAddress.parse("02:00:00:00:00:01"), MemorySwitch.DEFAULT_MTU,
                offloads), impairment);
        DirectStack client = DirectStackBuilder.on(chain.netif()).address(Ipv4Cidr.parse("198.18.0.1/24")).seed(seed)
                .name("client").build();
        DirectStack server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02"),
                        MemorySwitch.DEFAULT_MTU, offloads))
                .address(Ipv4Cidr.parse("198.18.0.2/24")).seed(seed + 1).name("server").build();
        resources.add(() -> disconnect(client));
        resources.add(() -> disconnect(server));
        resources.add(loop);
        LongSupplier retransmissions = () -> CounterReport.get(client.counters(), "tcp", "tx.retransmits")
                + CounterReport.get(server.counters(), "tcp", "tx.retransmits");
        return new PerfEndpoints("direct-memory", client, loop, server, loop, Ipv4Address.parse("198.18.0.2"), port,
                "two direct stacks on the in-memory network, one event loop: 198.18.0.1 -> 198.18.0.2:" + port
                        + ", offloads " + offloads.describe() + chain.describe(),
                chain.impairments(), retransmissions, "tcp.tx.retransmits of both stacks", resources);
    }

    /**
     * Two socket stacks over the host's loopback, each on its own event loop: the host
     * kernel's TCP, driven through the same {@code Stack} interface.
     */
    static PerfEndpoints socket(int port) {
        List<AutoCloseable> resources = new ArrayList<>();
        SocketStack server = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("perf-server").build();
        resources.add(() -> disconnect(server));
        server.listenTcp(port, flow -> flow.close()); // binds now, so the port is known; replaced by the run
        int bound = server.boundTcpPort(port);
        SocketStack client = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("perf-client").build();
        resources.addFirst(() -> disconnect(client));
        return new PerfEndpoints("socket", client, client.loop(), server, server.loop(), Ipv4Address.LOCALHOST, bound,
                "two socket stacks (the host kernel's TCP) over loopback: 127.0.0.1 -> 127.0.0.1:" + bound, null,
                HostTcpCounters::retransmittedSegments, "the host's RetransSegs (/proc/net/snmp)", resources);
    }

    /**
     * The direct stack on a TAP device: a client sending to {@code peer}:{@code port}, or
     * (peer null) a server receiving one connection on {@code port}. {@code onReady} sees
     * the device once the stack is on it.
     */
    static PerfEndpoints tap(TapOptions device, ImpairmentOptions impairment, IpAddress peer, int port,
                             Consumer<TapNetif> onReady) throws TapException {
        List<AutoCloseable> resources = new ArrayList<>();
        RealTimeEventLoop loop = device.newLoop("tcpip4j-perf");
        resources.add(loop);
        TapNetif tap;
        try {
            tap = TapNetif.open(device.config(impairment.any()), loop);
        } catch (TapException e) {
            loop.close();
            throw e;
        }
        NetifChain chain = NetifChain.wrap(tap, impairment); // the capture is open already
        DirectStack stack = device.stack(chain.netif()).seed(impairment.seed).name("perf").build();
        TapOptions.awaitIpv6(stack, device.slaac, device.slaac ? 10 : 5, System.err, "perf");
        resources.addFirst(() -> disconnect(stack));
        onReady.accept(tap);
        LongSupplier retransmissions = () -> CounterReport.get(stack.counters(), "tcp", "tx.retransmits");
        String where = "the direct stack on TAP " + tap.interfaceName() + " (" + device.ip + ", "
                + device.describeOffloads(tap, impairment.any()) + ")";
        if (peer != null) {
            return new PerfEndpoints("tap", stack, loop, null, null, peer, port,
                    where + " -> " + peer + ":" + port + chain.describe(), chain.impairments(), retransmissions,
                    "tcp.tx.retransmits",
                    resources);
        }
        return new PerfEndpoints("tap", null, null, stack, loop, device.ip.address(), port,
                where + ", receiving on port " + port + chain.describe(), chain.impairments(), retransmissions,
                "tcp.tx.retransmits",
                resources);
    }

    private static void disconnect(Stack stack) throws Exception {
        stack.disconnect().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // Closing the rest matters more than this one's failure, which changes no result.
            }
        }
    }
}
