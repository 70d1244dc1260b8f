package org.tcpip4j.netif.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.SipHash;

class StackContextTest {

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();

    @Test
    void aSeededContextReplaysItsSecretsAndKeepsThemApartFromItsRandomness() {
        StackContext a = StackContext.seeded(loop, 7, "a");
        StackContext b = StackContext.seeded(loop, 7, "b");
        assertFalse(a.secrets().isSecure());
        long secret = a.secrets().nextLong();
        assertEquals(secret, b.secrets().nextLong(), "the same seed, the same secrets");
        assertNotEquals(secret, new SplittableRandom(7).nextLong(), "not the random stream of the same seed");
        assertNotEquals(secret, StackContext.seeded(loop, 8, "c").secrets().nextLong());
    }

    @Test
    void aContextForARealNetworkDrawsItsSecretsFromSecureRandom() {
        StackContext c = StackContext.of(loop, "real");
        assertTrue(c.secrets().isSecure());
        assertEquals("Secrets[secure]", c.secrets().toString(), "says what it is, never what it holds");
        assertNotEquals(c.secrets().nextLong(), StackContext.of(loop, "other").secrets().nextLong());
    }

    @Test
    void theConstructorOfEarlierVersionsDrawsSecretsFromItsGenerator() {
        SplittableRandom random = new SplittableRandom(3);
        StackContext c = new StackContext(loop, random, "legacy");
        assertSame(random, c.random());
        assertEquals(new SplittableRandom(3).nextLong(), c.secrets().nextLong());
        assertFalse(c.secrets().isSecure());
        assertTrue(new StackContext(loop, new SecureRandom(), "s").secrets().isSecure());
        assertThrows(NullPointerException.class, () -> new StackContext(loop, random, "x", null));
    }

    @Test
    void sipHashMatchesTheReferenceVector() {
        // Key 00..0f, message 00..0f (16 bytes): 0x3f2acc7f57c29bdb (Aumasson-Bernstein vectors).
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        assertEquals(0x3f2acc7f57c29bdbL, SipHash.hash(k0, k1, k0, k1));
    }
}
