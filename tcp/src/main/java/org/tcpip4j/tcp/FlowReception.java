package org.tcpip4j.tcp;

/**
 * A reception started by {@link TcpFlow#receive}: the switch for its backpressure, in the
 * manner of Netty's {@code autoRead}. Its methods may be called from any thread, the
 * receiver's callbacks included.
 */
public interface FlowReception {

    /**
     * Stops delivering after the call in progress, if any: what arrives stays in the
     * receive buffer, and the window offered closes as it fills. {@link FlowReceiver#end()}
     * waits too; {@link FlowReceiver#failed} does not.
     */
    void pause();

    /**
     * Delivers again, starting with the bytes buffered meanwhile (or left in the last view),
     * in a call of its own on the event loop, never within this one. Nothing happens when
     * the reception is not paused or has ended.
     */
    void resume();

    /** True while paused: after {@link #pause()}, or after the receiver left bytes in a view. */
    boolean isPaused();
}
