package org.tcpip4j.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stack TCK: a concrete suite extends this class with the {@link StackFixture} of its
 * stacks and implements the contracts whose cases it runs ({@link UdpTck}, {@link TcpTck}).
 * Each case gets a fresh fixture, closed after it.
 *
 * <pre>{@code
 * class SocketStackTck extends StackTck implements UdpTck, TcpTck {
 *     protected StackFixture createFixture() { return new SocketStackFixture(); }
 * }
 * }</pre>
 */
public abstract class StackTck {

    private StackFixture fixture;

    /** A fixture with two fresh stacks that reach each other. */
    protected abstract StackFixture createFixture();

    @BeforeEach
    final void openFixture() {
        fixture = createFixture();
    }

    @AfterEach
    final void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    /** The current case's fixture. */
    public final StackFixture fixture() {
        if (fixture == null) {
            throw new IllegalStateException("no fixture outside a test case");
        }
        return fixture;
    }
}
