package org.tcpip4j.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stack TCK: a concrete suite extends this class with the {@link StackFixture} of its
 * stacks and implements the contracts whose cases it runs ({@link UdpTck}, {@link TcpTck}).
 * Each case gets a fresh fixture, closed after it.
 *
 * <pre>{@code
 * @ParameterizedClass
 * @EnumSource(IpVersion.class)
 * class SocketStackTck extends StackTck implements UdpTck, TcpTck {
 *     private final IpVersion version;
 *     SocketStackTck(IpVersion version) { this.version = version; }
 *     protected StackFixture createFixture() { return new SocketStackFixture(version); }
 * }
 * }</pre>
 *
 * <p>The suites of this module run every case over each {@link IpVersion}; a case that
 * needs to know which reads it from its fixture's addresses ({@link StackFixture#ipVersion()}).
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
