package org.tcpip4j.tcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.congestion.CongestionControlProvider;

/**
 * The congestion-control algorithms a TCP layer can use, found through
 * {@link ServiceLoader} as the layers are, and the choice among them: the name a
 * connection asks for ({@code FlowOptions}), else the stack's ({@link TcpConfig}), else
 * the system property {@value #PROPERTY}, else {@value #DEFAULT}. The layer logs which
 * one it picked for itself and why; a name nobody provides fails with the list of those
 * available.
 */
final class CongestionControls {

    private static final Logger LOG = LoggerFactory.getLogger(CongestionControls.class);

    /** The system property naming the algorithm: {@code -Dtcpip4j.tcp.congestion=newreno}. */
    static final String PROPERTY = "tcpip4j.tcp.congestion";
    /** The algorithm when nothing names one: CUBIC, as on Linux. */
    static final String DEFAULT = "cubic";

    private final List<CongestionControlProvider> providers;
    private final CongestionControlProvider stackDefault;

    CongestionControls(TcpConfig config, String stackName) {
        this(load(), config.congestionControl(), System.getProperty(PROPERTY), stackName);
    }

    CongestionControls(List<CongestionControlProvider> providers, String configured, String property, String stackName) {
        this.providers = List.copyOf(providers);
        String wanted;
        String reason;
        if (configured != null) {
            wanted = configured;
            reason = "named in TcpConfig";
        } else if (property != null && !property.isBlank()) {
            wanted = property.trim();
            reason = "named by system property " + PROPERTY;
        } else {
            wanted = DEFAULT;
            reason = "default";
        }
        this.stackDefault = find(wanted);
        LOG.info("{}: congestion control {} ({}; {}); available: {}", stackName, stackDefault.name(),
            stackDefault.getClass().getName(), reason, names());
    }

    private static List<CongestionControlProvider> load() {
        List<CongestionControlProvider> found = new ArrayList<>();
        for (CongestionControlProvider p : ServiceLoader.load(CongestionControlProvider.class)) {
            found.add(p);
        }
        return found;
    }

    /** The provider named {@code name}. */
    CongestionControlProvider find(String name) {
        for (CongestionControlProvider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no congestion control named \"" + name + "\"; available: " + names());
    }

    /** The stack's algorithm, or the one {@code name} names when not null. */
    CongestionControlProvider choose(String name) {
        return name == null ? stackDefault : find(name);
    }

    List<String> names() {
        return providers.stream().map(CongestionControlProvider::name).toList();
    }
}
