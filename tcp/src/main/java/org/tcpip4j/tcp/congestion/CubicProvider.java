package org.tcpip4j.tcp.congestion;

/** Provides {@link Cubic} under the name "cubic", the default congestion control. */
public final class CubicProvider implements CongestionControlProvider {

    /** The provider, as {@link java.util.ServiceLoader} creates it. */
    public CubicProvider() {
    }

    /** "cubic", the name a stack or a connection chooses it by. */
    @Override
    public String name() {
        return "cubic";
    }

    /** One line naming the algorithm and its RFCs. */
    @Override
    public String description() {
        return "CUBIC: cubic window growth with HyStart++ slow start (RFC 9438, RFC 9406)";
    }

    /** A new {@link Cubic} for a connection whose maximum segment size is {@code mss}. */
    @Override
    public CongestionControl create(int mss) {
        return new Cubic(mss);
    }
}
