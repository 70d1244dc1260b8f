package org.tcpip4j.tcp;

/** Receives the flows a listening port accepts, on the event loop. Must not block. */
@FunctionalInterface
public interface TcpListener {

    /** Handles one newly established flow. */
    void accept(TcpFlow flow);
}
