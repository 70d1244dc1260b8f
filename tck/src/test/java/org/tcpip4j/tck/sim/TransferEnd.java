package org.tcpip4j.tck.sim;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/**
 * One end of a bidirectional transfer over a {@link TcpFlow}, without blocking (it runs on
 * a virtual-time loop): it writes {@code toSend} in chunks, then closes; at the same time
 * it reads to Eof and checks every byte, in order, against {@code expected} as it arrives.
 * Reads and writes that complete at once are taken in a loop, not by recursion.
 */
final class TransferEnd {

    /** Sizes of the writes: they vary, so segment boundaries do not line up with them. */
    private static final int CHUNK = 16 * 1024;

    private final byte[] toSend;
    private final byte[] expected;
    /** Completes with null at Eof after exactly {@code expected.length} bytes, or fails. */
    final CompletableFuture<Void> readDone = new CompletableFuture<>();
    /** Completes when close() completes, or fails with the write error. */
    final CompletableFuture<Void> closeDone = new CompletableFuture<>();
    private TcpFlow flow;
    private int received;
    private int sent;
    /** First offset at which a byte differed, or -1. */
    private long firstMismatch = -1;

    TransferEnd(byte[] toSend, byte[] expected) {
        this.toSend = toSend;
        this.expected = expected;
    }

    /** Starts reading and writing on {@code f}. */
    void start(TcpFlow f) {
        this.flow = f;
        readLoop();
        writeLoop();
    }

    boolean finished() {
        return readDone.isDone() && closeDone.isDone();
    }

    /** True when all of {@code expected} was read, then Eof, and the close completed. */
    boolean succeeded() {
        return finished() && !readDone.isCompletedExceptionally() && !closeDone.isCompletedExceptionally();
    }

    private void writeLoop() {
        while (true) {
            if (sent >= toSend.length) {
                flow.close().whenComplete((v, e) -> complete(closeDone, e));
                return;
            }
            int n = Math.min(CHUNK + (sent / CHUNK % 7) * 1_000, toSend.length - sent);
            CompletableFuture<Void> w = flow.write(ByteBuffer.wrap(toSend, sent, n));
            sent += n;
            if (w.isDone() && !w.isCompletedExceptionally()) {
                continue;
            }
            w.whenComplete((v, e) -> {
                if (e != null) {
                    closeDone.completeExceptionally(e);
                } else {
                    writeLoop();
                }
            });
            return;
        }
    }

    private void readLoop() {
        while (true) {
            CompletableFuture<ReadResult> r = flow.read();
            if (r.isDone() && !r.isCompletedExceptionally()) {
                if (!take(r.join())) {
                    return;
                }
                continue;
            }
            r.whenComplete((result, e) -> {
                if (e != null) {
                    readDone.completeExceptionally(e);
                } else if (take(result)) {
                    readLoop();
                }
            });
            return;
        }
    }

    /** Checks what a read gave; false when reading is over. */
    private boolean take(ReadResult result) {
        if (result instanceof ReadResult.Data d) {
            ByteBuffer b = d.data();
            int n = b.remaining();
            if (received + n > expected.length) {
                readDone.completeExceptionally(new AssertionError(
                        "more bytes than were sent: " + (received + n) + " > " + expected.length));
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b.get() != expected[received + i] && firstMismatch < 0) {
                    firstMismatch = received + i;
                }
            }
            received += n;
            if (firstMismatch >= 0) {
                readDone.completeExceptionally(new AssertionError("byte " + firstMismatch + " differs"));
                return false;
            }
            return true;
        }
        if (received != expected.length) {
            readDone.completeExceptionally(new AssertionError(
                    "Eof after " + received + " of " + expected.length + " bytes"));
        } else {
            readDone.complete(null);
        }
        return false;
    }

    private static void complete(CompletableFuture<Void> f, Throwable e) {
        if (e != null) {
            f.completeExceptionally(e);
        } else {
            f.complete(null);
        }
    }

    @Override
    public String toString() {
        return "sent " + sent + "/" + toSend.length + ", read " + received + "/" + expected.length
                + (readDone.isDone() ? readDone.isCompletedExceptionally() ? " (read failed: "
                        + readDone.exceptionNow() + ")" : " (Eof)" : "")
                + ", close " + (closeDone.isDone() ? closeDone.isCompletedExceptionally() ? "failed: "
                        + closeDone.exceptionNow() : "done" : "pending")
                + (flow == null ? ", no flow" : ", " + flow);
    }
}
