package org.tcpip4j.tck;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * Two direct stacks on one in-memory switch, the client at 198.18.0.1/24 and the server at
 * 198.18.0.2/24; for IPv6 both stacks are dual-stack, with 2001:2::1/64 and 2001:2::2/64
 * beside those, and reach each other at their IPv6 addresses. They run on a
 * {@link VirtualTimeEventLoop} driven by the test thread: every {@link #await} runs the
 * simulation until the future completes, so a case runs in milliseconds and the same way
 * every time. The direct stack has every {@link Feature}.
 *
 * <p>Blocking code ({@link #startBlocking}) runs on virtual threads beside the simulation;
 * while any of it is alive, {@link #await} advances virtual time only when every such
 * thread is parked waiting for the stacks, so the simulation never runs ahead of code that
 * is busy, and stays deterministic in what the stacks see.
 */
public final class DirectStackFixture implements StackFixture {

    static final Ipv4Cidr CLIENT = Ipv4Cidr.parse("198.18.0.1/24");
    static final Ipv4Cidr SERVER = Ipv4Cidr.parse("198.18.0.2/24");
    static final Ipv4Address FOREIGN = Ipv4Address.parse("198.18.0.99");
    static final Ipv6Cidr CLIENT6 = Ipv6Cidr.parse("2001:2::1/64");
    static final Ipv6Cidr SERVER6 = Ipv6Cidr.parse("2001:2::2/64");
    static final Ipv6Address FOREIGN6 = Ipv6Address.parse("2001:2::99");
    /** Virtual time a future may take: ARP retries and reassembly timeouts fit many times over. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** Ports handed out by {@link #freeUdpPort}: below the ephemeral range, so no write takes one. */
    private static final int FIRST_FREE_PORT = 10_000;
    /** Real time blocking code may keep the simulation waiting; only stops a case that hangs. */
    private static final Duration BLOCKING_BOUND = Duration.ofSeconds(30);

    private final IpVersion version;
    private final NetifOffloads offloads;
    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final MemorySwitch network = new MemorySwitch(loop);
    private final DirectStack client;
    private final DirectStack server;
    private int nextFreePort = FIRST_FREE_PORT;
    /** The threads of {@link #startBlocking} not yet seen terminated. */
    private final List<Thread> blockingThreads = new CopyOnWriteArrayList<>();

    /** Both stacks over IPv4. */
    public DirectStackFixture() {
        this(IpVersion.IPV4);
    }

    /** Builds both stacks for {@code version} on the calling thread, which then owns the loop. */
    public DirectStackFixture(IpVersion version) {
        this(version, NetifOffloads.NONE);
    }

    /**
     * Builds both stacks for {@code version} on ports of the switch that offer
     * {@code offloads} ({@link MemorySwitch#port(MacAddress, int, NetifOffloads)}): with
     * {@link NetifOffloads#ALL}, TCP segments of many MSS with checksums left to the device,
     * coalesced on arrival and not verified again.
     */
    public DirectStackFixture(IpVersion version, NetifOffloads offloads) {
        this.version = version;
        this.offloads = offloads;
        client = stack("02:00:00:00:00:01", CLIENT, CLIENT6, "tck-client", 1);
        server = stack("02:00:00:00:00:02", SERVER, SERVER6, "tck-server", 2);
    }

    /**
     * One stack; for IPv6 with its IPv6 address usable at once: Duplicate Address Detection
     * off (nobody else on the switch could hold it), and no router to solicit.
     */
    private DirectStack stack(String mac, Ipv4Cidr address, Ipv6Cidr address6, String name, long seed) {
        DirectStackBuilder builder = DirectStackBuilder.on(network.port(MacAddress.parse(mac), MemorySwitch.DEFAULT_MTU, offloads))
                .address(address).name(name).seed(seed);
        if (version == IpVersion.IPV6) {
            builder.ipv6Config(Ipv6Config.of(address6).withDadTransmits(0).withRouterAdvertisements(false));
        }
        return builder.build();
    }

    @Override
    public String description() {
        return "direct stacks on an in-memory switch over " + version
            + (offloads.equals(NetifOffloads.NONE) ? "" : ", offloads " + offloads.describe());
    }

    @Override
    public Stack client() {
        return client;
    }

    @Override
    public Stack server() {
        return server;
    }

    /** The server's address of the fixture's version, named rather than taken from a list that holds both. */
    @Override
    public IpAddress serverAddress() {
        return version == IpVersion.IPV4 ? SERVER.address() : SERVER6.address();
    }

    @Override
    public IpAddress clientAddress() {
        return version == IpVersion.IPV4 ? CLIENT.address() : CLIENT6.address();
    }

    @Override
    public IpAddress foreignAddress() {
        return version == IpVersion.IPV4 ? FOREIGN : FOREIGN6;
    }

    /** The network is the fixture's alone, so any port nobody listened on yet is free. */
    @Override
    public int freeUdpPort(Stack stack) {
        return nextFreePort++;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        if (!blockingThreads.isEmpty()) {
            return awaitBesideBlockingCode(future);
        }
        try {
            return loop.await(future, BOUND);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND + " of virtual time ("
                    + description() + ")");
        }
    }

    /** Fires on the simulation's clock. Call it from the test thread or the loop (the same thread). */
    @Override
    public CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        loop.schedule(delay.toNanos(), () -> elapsed.complete(null));
        return elapsed;
    }

    /** Runs the simulation for {@code duration} of virtual time. */
    @Override
    public void pass(Duration duration) {
        loop.runFor(duration);
    }

    @Override
    public <T> CompletableFuture<T> startBlocking(Callable<T> code) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("tck-blocking").unstarted(() -> {
            try {
                result.complete(code.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        blockingThreads.add(thread);
        thread.start();
        return result;
    }

    /**
     * {@link #await} while blocking code runs. A task that code hands the loop can arrive
     * at any moment, and nothing tells the loop one is coming; but code that waits for the
     * stacks is parked ({@link Thread.State#WAITING}), so: run what is ready; while some
     * thread is busy, let it run; once all are parked and nothing is ready, the next step
     * is the next timer, which is what the code waits for.
     */
    private <T> T awaitBesideBlockingCode(CompletableFuture<T> future) {
        long virtualEnd = loop.nanoTime() + BOUND.toNanos();
        long realEnd = System.nanoTime() + BLOCKING_BOUND.toNanos();
        while (!future.isDone()) {
            if (loop.pendingTasks() > 0) {
                loop.step();
                continue;
            }
            if (someBlockingCodeBusy()) {
                if (System.nanoTime() - realEnd > 0) {
                    throw new AssertionError("blocking code kept the simulation waiting for " + BLOCKING_BOUND);
                }
                // It runs on the carriers of virtual threads; give it the core.
                Thread.yield();
                continue;
            }
            // Every thread parked: a task it handed over before parking is visible by now.
            if (loop.pendingTasks() > 0) {
                continue;
            }
            if (loop.nanoTime() - virtualEnd > 0 || !loop.step()) {
                throw new AssertionError("the future did not complete within " + BOUND
                        + " of virtual time, with blocking code parked (" + description() + ")");
            }
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private boolean someBlockingCodeBusy() {
        boolean busy = false;
        for (Thread t : blockingThreads) {
            switch (t.getState()) {
                case TERMINATED -> blockingThreads.remove(t);
                case WAITING -> { }
                default -> busy = true;
            }
        }
        return busy;
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
