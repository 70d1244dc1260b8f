package org.tcpip4j.tcp.congestion;

import org.tcpip4j.netif.LayerProvider;

/**
 * Service provider of a congestion-control algorithm, found through
 * {@link java.util.ServiceLoader} like the layers: a module {@code provides} it, and a
 * stack ({@code TcpConfig.congestionControl}) or one connection ({@code FlowOptions})
 * chooses it by {@link #name()}. Built in: {@code "cubic"} (the default, as on Linux) and
 * {@code "newreno"}.
 */
public interface CongestionControlProvider extends LayerProvider {

    /** A new instance for one connection whose maximum segment size is {@code mss}. */
    CongestionControl create(int mss);
}
