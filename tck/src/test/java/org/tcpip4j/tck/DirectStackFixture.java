package org.tcpip4j.tck;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * Two direct stacks on one in-memory switch, the client at 198.18.0.1/24 and the server at
 * 198.18.0.2/24, on a {@link VirtualTimeEventLoop} driven by the test thread: every
 * {@link #await} runs the simulation until the future completes, so a case runs in
 * milliseconds and the same way every time. The direct stack has every {@link Feature}.
 */
public final class DirectStackFixture implements StackFixture {

    static final Ipv4Cidr CLIENT = Ipv4Cidr.parse("198.18.0.1/24");
    static final Ipv4Cidr SERVER = Ipv4Cidr.parse("198.18.0.2/24");
    static final Ipv4Address FOREIGN = Ipv4Address.parse("198.18.0.99");
    /** Virtual time a future may take: ARP retries and reassembly timeouts fit many times over. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Ports handed out by {@link #freeUdpPort}: below the ephemeral range, so no write takes one. */
    private static final int FIRST_FREE_PORT = 10_000;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final MemorySwitch network = new MemorySwitch(loop);
    private final DirectStack client;
    private final DirectStack server;
    private int nextFreePort = FIRST_FREE_PORT;

    /** Builds both stacks on the calling thread, which then owns the loop. */
    public DirectStackFixture() {
        client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01")))
                .address(CLIENT).name("tck-client").seed(1).build();
        server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02")))
                .address(SERVER).name("tck-server").seed(2).build();
    }

    @Override
    public String description() {
        return "direct stacks on an in-memory switch";
    }

    @Override
    public Stack client() {
        return client;
    }

    @Override
    public Stack server() {
        return server;
    }

    @Override
    public IpAddress foreignAddress() {
        return FOREIGN;
    }

    /** The network is the fixture's alone, so any port nobody listened on yet is free. */
    @Override
    public int freeUdpPort(Stack stack) {
        return nextFreePort++;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        try {
            return loop.await(future, BOUND);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND + " of virtual time ("
                    + description() + ")");
        }
    }

    @Override
    public boolean supports(Feature feature) {
        return true;
    }

    @Override
    public void close() {
        try {
            await(client.disconnect());
        } finally {
            await(server.disconnect());
        }
    }
}
