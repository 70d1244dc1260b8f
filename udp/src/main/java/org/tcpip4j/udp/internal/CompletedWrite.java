package org.tcpip4j.udp.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The future of a successful write: completed with {@code null} when made and never
 * changed after, so that one instance can be handed to every caller without one caller
 * completing, failing or cancelling the future another holds. {@code complete},
 * {@code completeExceptionally} and {@code cancel} return false, the {@code obtrude}
 * methods and {@code completeAsync} throw {@link UnsupportedOperationException}. Futures
 * derived from it ({@code thenApply}, {@code toCompletableFuture().thenRun}, ...) are
 * ordinary ones.
 */
final class CompletedWrite extends CompletableFuture<Void> {

    /** The one instance. */
    static final CompletedWrite INSTANCE = new CompletedWrite();

    private CompletedWrite() {
        super.complete(null);
    }

    @Override
    public boolean complete(Void value) {
        return false;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return false;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public void obtrudeValue(Void value) {
        throw new UnsupportedOperationException("a completed write's future cannot be changed");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("a completed write's future cannot be changed");
    }

    @Override
    public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier, Executor executor) {
        throw new UnsupportedOperationException("a completed write's future cannot be changed");
    }

    @Override
    public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier) {
        throw new UnsupportedOperationException("a completed write's future cannot be changed");
    }

    @Override
    public CompletableFuture<Void> orTimeout(long timeout, TimeUnit unit) {
        return this;
    }

    @Override
    public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
        return this;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
