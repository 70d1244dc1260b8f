package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import org.junit.jupiter.api.Test;

/** The ports the channels bind: a socket's "address already in use", and no stack held once its ports are released. */
class PortsTest {

    @Test
    void aBoundPortIsRefusedUntilReleasedAndTheStackIsThenForgotten() throws Exception {
        Object stack = new Object();
        assertEquals(8080, Ports.reserve(stack, "tcp", 8080));
        assertThrows(BindException.class, () -> Ports.reserve(stack, "tcp", 8080));
        assertEquals(8080, Ports.reserve(stack, "udp", 8080), "another protocol's port");
        int ephemeral = Ports.reserve(stack, "tcp", 0);
        assertTrue(ephemeral >= 49152 && ephemeral <= 65535, "ephemeral: " + ephemeral);

        Ports.release(stack, "tcp", 8080);
        assertEquals(8080, Ports.reserve(stack, "tcp", 8080), "free again once released");
        Ports.release(stack, "tcp", 8080);
        Ports.release(stack, "tcp", ephemeral);
        Ports.release(stack, "udp", 8080);
        assertFalse(Ports.holds(stack, "tcp"), "a stack with no port bound is not held");
        assertFalse(Ports.holds(stack, "udp"));
    }
}
