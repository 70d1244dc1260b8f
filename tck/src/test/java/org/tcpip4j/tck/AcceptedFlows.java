package org.tcpip4j.tck;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/**
 * A TCP listener that keeps every flow it is given and completes futures when a number of
 * them has arrived, so a case can wait for accepted flows on any stack (listeners run on
 * the stack's loop, which is the test thread in virtual time and another thread in real
 * time; hence the lock). It may also start something on each flow as it arrives (an echo),
 * on the loop, before anyone waiting is told.
 */
public final class AcceptedFlows implements TcpListener {

    private record Waiter(int count, CompletableFuture<List<TcpFlow>> future) {
    }

    private final Consumer<TcpFlow> onAccept;
    private final List<TcpFlow> accepted = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /** Keeps the flows and does nothing else with them. */
    public AcceptedFlows() {
        this(flow -> { });
    }

    /** Keeps the flows and hands each to {@code onAccept} first; it runs on the loop and must not block. */
    public AcceptedFlows(Consumer<TcpFlow> onAccept) {
        this.onAccept = onAccept;
    }

    @Override
    public void accept(TcpFlow flow) {
        onAccept.accept(flow);
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            accepted.add(flow);
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (accepted.size() >= w.count()) {
                    List<TcpFlow> first = List.copyOf(accepted.subList(0, w.count()));
                    completions.add(() -> w.future().complete(first));
                    it.remove();
                }
            }
        }
        // Outside the lock: what runs on completion may use this listener.
        completions.forEach(Runnable::run);
    }

    /** A future completing with the first {@code count} flows once they have been accepted. */
    public synchronized CompletableFuture<List<TcpFlow>> first(int count) {
        if (accepted.size() >= count) {
            return CompletableFuture.completedFuture(List.copyOf(accepted.subList(0, count)));
        }
        CompletableFuture<List<TcpFlow>> future = new CompletableFuture<>();
        waiters.add(new Waiter(count, future));
        return future;
    }

    /** A future completing with the first flow accepted. */
    public CompletableFuture<TcpFlow> next() {
        return first(1).thenApply(List::getFirst);
    }

    /** A future completing with flow number {@code index} (from 0) once it has been accepted. */
    public CompletableFuture<TcpFlow> nth(int index) {
        return first(index + 1).thenApply(List::getLast);
    }

    /** How many flows have been accepted. */
    public synchronized int size() {
        return accepted.size();
    }
}
