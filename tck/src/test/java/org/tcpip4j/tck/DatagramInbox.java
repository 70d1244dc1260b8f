package org.tcpip4j.tck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.udp.UdpCallback;

/**
 * A UDP callback that keeps a copy of every datagram it is given and completes futures
 * when a number of them has arrived, so a case can wait for datagrams on any stack
 * (callbacks run on the stack's loop, which is the test thread in virtual time and another
 * thread in real time; hence the lock).
 */
public final class DatagramInbox implements UdpCallback {

    /** One datagram as the callback saw it, its payload copied. */
    public record Datagram(IpAddress src, IpAddress dst, int srcPort, byte[] payload) {
    }

    private record Waiter(int count, CompletableFuture<List<Datagram>> future) {
    }

    private final List<Datagram> received = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    @Override
    public void datagram(IpAddress src, IpAddress dst, int srcPort, ByteBuffer payload) {
        byte[] copy = new byte[payload.remaining()];
        payload.get(payload.position(), copy);
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            received.add(new Datagram(src, dst, srcPort, copy));
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (received.size() >= w.count()) {
                    List<Datagram> first = List.copyOf(received.subList(0, w.count()));
                    completions.add(() -> w.future().complete(first));
                    it.remove();
                }
            }
        }
        // Outside the lock: what runs on completion may use the inbox.
        completions.forEach(Runnable::run);
    }

    /** A future completing with the first {@code count} datagrams once they have arrived. */
    public synchronized CompletableFuture<List<Datagram>> first(int count) {
        if (received.size() >= count) {
            return CompletableFuture.completedFuture(List.copyOf(received.subList(0, count)));
        }
        CompletableFuture<List<Datagram>> future = new CompletableFuture<>();
        waiters.add(new Waiter(count, future));
        return future;
    }

    /** A future completing with the first datagram. */
    public CompletableFuture<Datagram> next() {
        return first(1).thenApply(List::getFirst);
    }

    /** A future completing with datagram number {@code index} (from 0) once it has arrived. */
    public CompletableFuture<Datagram> nth(int index) {
        return first(index + 1).thenApply(List::getLast);
    }

    /** How many datagrams have arrived. */
    public synchronized int size() {
        return received.size();
    }

    /** The datagrams so far. */
    public synchronized List<Datagram> received() {
        return List.copyOf(received);
    }
}
