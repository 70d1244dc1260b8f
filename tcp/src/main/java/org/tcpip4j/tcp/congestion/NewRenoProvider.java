package org.tcpip4j.tcp.congestion;

/** Provides {@link NewReno} under the name "newreno". */
public final class NewRenoProvider implements CongestionControlProvider {

    /** The provider, as {@link java.util.ServiceLoader} creates it. */
    public NewRenoProvider() {
    }

    @Override
    public String name() {
        return "newreno";
    }

    @Override
    public String description() {
        return "NewReno: slow start with byte counting, halving on loss (RFC 5681, RFC 3465, RFC 6582)";
    }

    @Override
    public CongestionControl create(int mss) {
        return new NewReno(mss);
    }
}
