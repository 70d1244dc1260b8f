package org.tcpip4j.examples;

import org.tcpip4j.tcp.congestion.CongestionControl;
import org.tcpip4j.tcp.congestion.CongestionControlProvider;

/**
 * Provides {@link ScalableTcp} under the name {@value #NAME}: this module's
 * {@code module-info.java} {@code provides} it, so a stack finds it through ServiceLoader
 * beside CUBIC and NewReno. Choose it for a stack with
 * {@code TcpConfig.DEFAULT.withCongestionControl("scalable")} or
 * {@code -Dtcpip4j.tcp.congestion=scalable}, or for one connection with
 * {@code tcp.connectWith(dst, port, FlowOptions.DEFAULT.withCongestionControl("scalable"))}.
 */
public final class ScalableTcpProvider implements CongestionControlProvider {

    /** The name it is chosen by. */
    public static final String NAME = "scalable";

    /** The provider, as {@link java.util.ServiceLoader} creates it. */
    public ScalableTcpProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Scalable TCP (Kelly 2003): +1% of the bytes acknowledged, x0.875 on loss";
    }

    @Override
    public CongestionControl create(int mss) {
        return new ScalableTcp(mss);
    }
}
