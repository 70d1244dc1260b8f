package org.tcpip4j.tcp.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The built-in algorithms are found by name through {@link ServiceLoader}. */
class CubicProviderTest {

    private static Map<String, CongestionControlProvider> providers() {
        Map<String, CongestionControlProvider> byName = new HashMap<>();
        for (CongestionControlProvider p : ServiceLoader.load(CongestionControlProvider.class)) {
            byName.put(p.name(), p);
        }
        return byName;
    }

    @Test
    void cubicAndNewRenoAreProvided() {
        Map<String, CongestionControlProvider> byName = providers();
        assertInstanceOf(CubicProvider.class, byName.get("cubic"));
        assertInstanceOf(NewRenoProvider.class, byName.get("newreno"));
        assertTrue(byName.get("cubic").description().contains("RFC 9438"));
    }

    @Test
    void createsCubicWithTheInitialWindow() {
        CongestionControl cc = new CubicProvider().create(1460);
        assertInstanceOf(Cubic.class, cc);
        assertEquals(3 * 1460, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        assertTrue(cc.inSlowStart());
    }
}
