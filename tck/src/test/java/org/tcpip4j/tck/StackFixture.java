package org.tcpip4j.tck;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.stack.Stack;

/**
 * What a concrete suite provides so the TCK's cases can run on its stacks: two stacks that
 * reach each other, their time, and which documented differences apply. A fixture is made
 * for each case and closed after it.
 *
 * <p>Cases never block and never sleep: they turn what they wait for into a future and
 * hand it to {@link #await}, which drives virtual time on a simulated network or waits in
 * real time on the kernel's. A case must not call {@code Stack.close()}; the fixture
 * disconnects the stacks in {@link #close()}.
 */
public interface StackFixture extends AutoCloseable {

    /** What the stacks are, for messages: "direct stacks on an in-memory switch". */
    String description();

    /** The stack that starts each exchange. */
    Stack client();

    /** The stack that answers; {@link #client()} reaches it at {@link #serverAddress()}. */
    Stack server();

    /** The server's address as the client reaches it. */
    default IpAddress serverAddress() {
        return server().addresses().getFirst();
    }

    /** The client's address as the server sees it. */
    default IpAddress clientAddress() {
        return client().addresses().getFirst();
    }

    /** The IP version the stacks reach each other over: that of {@link #serverAddress()}. */
    default IpVersion ipVersion() {
        return IpVersion.of(serverAddress().version());
    }

    /**
     * An address on the stacks' network that belongs to neither stack, for a case that
     * writes from a source not its own.
     */
    IpAddress foreignAddress();

    /**
     * A UDP port of {@code stack} that nobody uses (neither this case nor, for a stack on
     * the host's kernel, another program), to listen on or to leave closed.
     */
    int freeUdpPort(Stack stack);

    /**
     * A TCP port of {@code stack} that nobody uses, to listen on or to leave closed. A
     * fixture whose stacks are its own alone may hand out the same numbers as
     * {@link #freeUdpPort}; one on the host's kernel must ask the kernel.
     */
    default int freeTcpPort(Stack stack) {
        return freeUdpPort(stack);
    }

    /**
     * A future completing once {@code delay} of the stacks' time has passed: virtual time
     * on a simulated network, real time on the kernel's. For a case that paces itself (a
     * slow reader) without blocking.
     */
    default CompletableFuture<Void> after(Duration delay) {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Lets {@code duration} of the stacks' time pass while they keep running (an idle
     * connection exchanging keepalive probes, a peer that keeps a flow half-closed). Unlike
     * {@link #await}, this is not bounded by the fixture's bound.
     */
    default void pass(Duration duration) {
        after(duration).join();
    }

    /**
     * Starts {@code code}, which blocks (the flows' stream adapters), on a virtual thread of
     * its own, and returns a future of its result for {@link #await}. A fixture in virtual
     * time must keep its loop running while such code waits for it, and must not let
     * virtual time run ahead while the code is busy.
     */
    default <T> CompletableFuture<T> startBlocking(Callable<T> code) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("tck-blocking").start(() -> {
            try {
                result.complete(code.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * Waits for {@code future}, bounded: runs the stacks' loop in virtual time until it
     * completes, or waits for it in real time.
     *
     * @return its value
     * @throws AssertionError when it did not complete in the fixture's bound, or failed
     *     (the failure is the cause)
     */
    <T> T await(CompletableFuture<T> future);

    /**
     * Waits for {@code future} as {@link #await} and returns what it failed with, unwrapped
     * from any {@link CompletionException}.
     *
     * @throws AssertionError when it completed normally or not at all
     */
    default Throwable awaitFailure(CompletableFuture<?> future) {
        Throwable failure = await(future.handle((value, error) -> {
            Throwable cause = error;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }));
        if (failure == null) {
            throw new AssertionError("expected the future to fail, but it completed normally");
        }
        return failure;
    }

    /** Whether the stacks have {@code feature}, one of the documented differences. */
    boolean supports(Feature feature);

    /** Disconnects both stacks and releases what the fixture holds; the case is over. */
    @Override
    void close();
}
