package org.tcpip4j.netif.loop;

/**
 * A reusable one-shot timer of an {@link EventLoop}: arm it, re-arm it, cancel it, as
 * often as needed, without allocating. Loop only.
 */
public interface Timer {

    /** Arms (or re-arms) the timer to fire {@code delayNanos} from now. */
    void schedule(long delayNanos);

    /** Disarms the timer; it does nothing when not armed. */
    void cancel();

    /** True while armed. */
    boolean isScheduled();

    /** The loop time at which it fires, when armed. */
    long deadline();
}
