package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.LayerProvider;

class ProviderSelectorTest {

    record Named(String name) implements LayerProvider {
    }

    private final Named standard = new Named("default");
    private final Named counting = new Named("counting");

    @Test
    void picksTheDefaultWhenNothingIsNamed() {
        var s = ProviderSelector.select(List.of(counting, standard), "ethernet", null, null);
        assertSame(standard, s.provider());
        assertEquals("default", s.choice().reason());
        assertEquals(List.of("counting", "default"), s.choice().available());
    }

    @Test
    void builderNameWinsOverTheSystemProperty() {
        var s = ProviderSelector.select(List.of(counting, standard), "ethernet", "counting", "default");
        assertSame(counting, s.provider());
        assertEquals("named on the builder", s.choice().reason());
    }

    @Test
    void systemPropertyNamesAProvider() {
        var s = ProviderSelector.select(List.of(standard, counting), "ethernet", null, "counting");
        assertSame(counting, s.provider());
        assertEquals("named by system property tcpip4j.provider.ethernet", s.choice().reason());
    }

    @Test
    void theOnlyProviderIsTakenEvenWhenNotNamedDefault() {
        var s = ProviderSelector.select(List.of(counting), "ethernet", null, null);
        assertSame(counting, s.provider());
    }

    @Test
    void aMissingNameIsReportedWithWhatIsAvailable() {
        var e = assertThrows(ProviderNotFoundException.class,
                () -> ProviderSelector.select(List.of(standard, counting), "arp", "static", null));
        assertEquals("arp", e.layer());
        assertEquals("static", e.requested());
        assertTrue(e.getMessage().contains("no arp provider named 'static'"), e.getMessage());
        assertTrue(e.getMessage().contains("default (") && e.getMessage().contains("counting ("), e.getMessage());
    }

    @Test
    void noProviderAtAllIsReported() {
        var e = assertThrows(ProviderNotFoundException.class,
                () -> ProviderSelector.select(List.<Named>of(), "tcp", null, null));
        assertTrue(e.getMessage().contains("none is on the module path"), e.getMessage());
    }
}
